namespace Consent.Core.Log.Checkpoints;

/// <summary>One signature line of a note: the key's name and id, and the signature bytes after the id.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, byte[] Signature);
