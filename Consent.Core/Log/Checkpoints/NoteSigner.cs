using NSec.Cryptography;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// An Ed25519 private key under its note key name. Its 32-byte seed is what the center stores (encrypted by Data
/// Protection); the signer key text <c>PRIVATE+KEY+name+keyid+base64(0x01 || seed)</c> is for files and never served.
/// </summary>
public sealed class NoteSigner : IDisposable
{
    private const string PrivatePrefix = "PRIVATE+KEY+";

    private readonly Key key;

    private NoteSigner(string name, Key key)
    {
        this.key = key;
        Verifier = NoteVerifier.FromPublicKey(name, key.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    }

    public string Name => Verifier.Name;
    public uint KeyId => Verifier.KeyId;

    /// <summary>The public half, which verifies what this signer signs.</summary>
    public NoteVerifier Verifier { get; }

    /// <summary>A new random key.</summary>
    public static NoteSigner Generate(string name)
    {
        RequireName(name);
        return new NoteSigner(name, Key.Create(SignatureAlgorithm.Ed25519, Exportable()));
    }

    public static NoteSigner FromSeed(string name, ReadOnlySpan<byte> seed)
    {
        RequireName(name);
        if (seed.Length != 32) throw new SignedNoteException("An Ed25519 private key seed is 32 bytes.");
        return new NoteSigner(name, Key.Import(SignatureAlgorithm.Ed25519, seed, KeyBlobFormat.RawPrivateKey, Exportable()));
    }

    /// <summary>Reads a signer key text; refuses one whose key id does not match its name and key.</summary>
    public static NoteSigner Parse(string keyText)
    {
        ArgumentNullException.ThrowIfNull(keyText);
        if (!keyText.StartsWith(PrivatePrefix, StringComparison.Ordinal)) throw new SignedNoteException("A signer key reads PRIVATE+KEY+name+keyid+key.");
        var parts = keyText[PrivatePrefix.Length..].Split('+', 3);
        if (parts.Length != 3) throw new SignedNoteException("A signer key reads PRIVATE+KEY+name+keyid+key.");
        if (!NoteText.TryParseKeyId(parts[1], out var keyId)) throw new SignedNoteException($"The key id \"{parts[1]}\" is not eight hex digits.");
        if (!NoteText.TryDecodeBase64(parts[2], out var encoded) || encoded.Length != 33 || encoded[0] != NoteText.Ed25519Type)
        {
            throw new SignedNoteException("The key of a signer key text is base64 of the byte 0x01 (Ed25519) and a 32-byte seed.");
        }
        var signer = FromSeed(parts[0], encoded.AsSpan(1));
        if (signer.KeyId == keyId) return signer;
        signer.Dispose();
        throw new SignedNoteException($"The key id {parts[1]} is not the hash of the key's name and public key.");
    }

    /// <summary>The 32-byte seed, for storing encrypted.</summary>
    public byte[] ExportSeed() => key.Export(KeyBlobFormat.RawPrivateKey);

    public string KeyText => $"{PrivatePrefix}{Name}+{NoteText.Hex(KeyId)}+{Convert.ToBase64String([NoteText.Ed25519Type, .. ExportSeed()])}";

    /// <summary>The 64-byte Ed25519 signature of the text.</summary>
    public byte[] Sign(ReadOnlySpan<byte> text) => SignatureAlgorithm.Ed25519.Sign(key, text);

    public void Dispose() => key.Dispose();

    // The seed is exported once, to be stored encrypted.
    private static KeyCreationParameters Exportable() => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextExport };

    private static void RequireName(string name)
    {
        if (!NoteText.IsValidKeyName(name)) throw new SignedNoteException($"\"{name}\" is not a note key name: it must be non-empty, with no space, plus sign or control character.");
    }
}
