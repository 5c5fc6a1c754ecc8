using NSec.Cryptography;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// An Ed25519 public key under its note key name: verifies signatures, and reads and writes the C2SP verifier key
/// text <c>name+keyid+base64(0x01 || public key)</c>.
/// </summary>
public sealed class NoteVerifier
{
    private readonly PublicKey key;

    private NoteVerifier(string name, uint keyId, PublicKey key, byte[] publicKey)
    {
        Name = name;
        KeyId = keyId;
        this.key = key;
        PublicKey = publicKey;
    }

    public string Name { get; }
    public uint KeyId { get; }

    /// <summary>The 32-byte Ed25519 public key.</summary>
    public byte[] PublicKey { get; }

    /// <summary>The verifier key text, e.g. <c>PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW</c>.</summary>
    public string KeyText => $"{Name}+{NoteText.Hex(KeyId)}+{Convert.ToBase64String([NoteText.Ed25519Type, .. PublicKey])}";

    public static NoteVerifier FromPublicKey(string name, ReadOnlySpan<byte> publicKey)
    {
        if (!NoteText.IsValidKeyName(name)) throw new SignedNoteException($"\"{name}\" is not a note key name: it must be non-empty, with no space, plus sign or control character.");
        if (publicKey.Length != 32 || !NSec.Cryptography.PublicKey.TryImport(SignatureAlgorithm.Ed25519, publicKey, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new SignedNoteException("An Ed25519 public key is 32 bytes of a valid curve point.");
        }
        return new NoteVerifier(name, NoteText.KeyId(name, publicKey), key, publicKey.ToArray());
    }

    /// <summary>Reads a verifier key text; refuses one whose key id is not the one its name and key give.</summary>
    public static NoteVerifier Parse(string keyText)
    {
        ArgumentNullException.ThrowIfNull(keyText);
        var parts = keyText.Split('+', 3);
        if (parts.Length != 3) throw new SignedNoteException("A verifier key reads name+keyid+key: three parts separated by plus signs.");
        if (!NoteText.TryParseKeyId(parts[1], out var keyId)) throw new SignedNoteException($"The key id \"{parts[1]}\" is not eight hex digits.");
        if (!NoteText.TryDecodeBase64(parts[2], out var encoded) || encoded.Length != 33 || encoded[0] != NoteText.Ed25519Type)
        {
            throw new SignedNoteException("The key of a verifier key text is base64 of the byte 0x01 (Ed25519) and a 32-byte public key.");
        }
        var verifier = FromPublicKey(parts[0], encoded.AsSpan(1));
        if (verifier.KeyId != keyId) throw new SignedNoteException($"The key id {parts[1]} is not the hash of the key's name and public key ({NoteText.Hex(verifier.KeyId)}).");
        return verifier;
    }

    public bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        signature.Length == SignatureAlgorithm.Ed25519.SignatureSize && SignatureAlgorithm.Ed25519.Verify(key, text, signature);
}
