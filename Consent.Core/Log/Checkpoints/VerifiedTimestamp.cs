namespace Consent.Core.Log.Checkpoints;

/// <summary>What a checked RFC 3161 token proves: the note existed at <see cref="Time"/>, said by <see cref="Authority"/>.</summary>
public sealed record VerifiedTimestamp(DateTimeOffset Time, string Authority);
