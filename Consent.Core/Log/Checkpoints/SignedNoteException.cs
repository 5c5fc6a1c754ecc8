namespace Consent.Core.Log.Checkpoints;

/// <summary>A note, key text or checkpoint that does not read or does not verify; the message says which rule it broke.</summary>
public sealed class SignedNoteException(string message) : Exception(message);
