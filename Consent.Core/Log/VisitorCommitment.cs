using System.Buffers;
using System.Security.Cryptography;

namespace Consent.Core.Log;

/// <summary>
/// How a visitor id enters a leaf: SHA-256(salt || the id's 16 bytes), with a random 16-byte salt per record. The leaf holds only
/// the commitment, so once the id and its salt are erased the record no longer points at anyone and its leaf still verifies.
/// </summary>
public static class VisitorCommitment
{
    public const int SaltSize = 16;

    public static byte[] NewSalt() => RandomNumberGenerator.GetBytes(SaltSize);

    public static byte[] Of(ReadOnlySpan<byte> salt, string visitorId)
    {
        Span<byte> input = stackalloc byte[SaltSize + 16];
        salt.CopyTo(input);
        if (visitorId.Length != 32 || Convert.FromHexString(visitorId, input[SaltSize..], out _, out _) != OperationStatus.Done)
        {
            throw new ArgumentException("A visitor id is 32 hexadecimal digits.", nameof(visitorId));
        }
        return SHA256.HashData(input);
    }
}
