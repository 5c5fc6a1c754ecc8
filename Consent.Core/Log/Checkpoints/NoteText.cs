using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Consent.Core.Log.Checkpoints;

/// <summary>The pieces of the C2SP signed-note format (https://c2sp.org/signed-note) that signers and verifiers share.</summary>
internal static class NoteText
{
    /// <summary>The signature type byte of Ed25519 in key ids and key texts.</summary>
    public const byte Ed25519Type = 0x01;

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Non-empty, valid UTF-8, no Unicode space, no plus, no control character.</summary>
    public static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name) || !IsWellFormed(name)) return false;
        foreach (var rune in name.EnumerateRunes())
        {
            if (Rune.IsWhiteSpace(rune) || Rune.IsControl(rune) || rune.Value == '+') return false;
        }
        return true;
    }

    public static bool IsWellFormed(string text)
    {
        try
        {
            StrictUtf8.GetByteCount(text);
            return true;
        }
        catch (EncoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>SHA-256(key name || 0x0A || 0x01 || public key), its first four bytes big-endian.</summary>
    public static uint KeyId(string name, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = 0x0A;
        input[nameBytes.Length + 1] = Ed25519Type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        return BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));
    }

    public static string Hex(uint keyId) => keyId.ToString("x8", CultureInfo.InvariantCulture);

    /// <summary>Standard base64 with padding, and only its canonical spelling: no whitespace, no stray bits.</summary>
    public static bool TryDecodeBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0) return false;
        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out var written)) return false;
        var decoded = buffer[..written];
        if (Convert.ToBase64String(decoded) != text) return false;
        bytes = decoded;
        return true;
    }

    /// <summary>Eight hex digits, as key texts spell a key id.</summary>
    public static bool TryParseKeyId(string text, out uint keyId) =>
        uint.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out keyId) && text.Length == 8;
}
