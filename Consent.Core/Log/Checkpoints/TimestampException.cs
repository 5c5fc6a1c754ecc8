namespace Consent.Core.Log.Checkpoints;

/// <summary>A time-stamping authority that did not answer, or a token that does not prove the time of a note; the message says which.</summary>
public sealed class TimestampException(string message) : Exception(message);
