using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// Checks an RFC 3161 timestamp token against the signed note it stamps: a SHA-256 imprint of those bytes, a signature
/// that verifies, by a certificate meant for time-stamping and valid at the stamped time, and, when trusted certificates
/// are given, one that chains to them. Works offline.
/// </summary>
public static class TimestampVerifier
{
    /// <summary>Tokens larger than this are refused before they are decoded; ours are a few kilobytes.</summary>
    public const int MaxTokenBytes = 64 * 1024;

    private const string TimeStamping = "1.3.6.1.5.5.7.3.8";
    private const string Sha256 = "2.16.840.1.101.3.4.2.1";

    public static VerifiedTimestamp Verify(byte[] token, ReadOnlySpan<byte> note, X509Certificate2Collection? trusted = null)
    {
        ArgumentNullException.ThrowIfNull(token);
        if (token.Length > MaxTokenBytes) throw new TimestampException($"The timestamp token is larger than {MaxTokenBytes / 1024} KiB.");
        if (!Rfc3161TimestampToken.TryDecode(token, out var decoded, out var read) || read != token.Length)
        {
            throw new TimestampException("The timestamp token is not an RFC 3161 token.");
        }
        var info = decoded.TokenInfo;
        if (info.HashAlgorithmId.Value != Sha256)
        {
            throw new TimestampException($"The timestamp token's imprint is not SHA-256 but {info.HashAlgorithmId.Value}.");
        }
        if (!info.GetMessageHash().Span.SequenceEqual(SHA256.HashData(note)))
        {
            throw new TimestampException("The timestamp token stamps other bytes than this note.");
        }
        if (!decoded.VerifySignatureForData(note, out var signer) || signer is null)
        {
            throw new TimestampException("The timestamp token's signature does not verify, or it names no certificate of its signer.");
        }
        var usage = signer.Extensions.OfType<X509EnhancedKeyUsageExtension>().SingleOrDefault();
        if (usage is null || !usage.Critical || !usage.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value == TimeStamping))
        {
            throw new TimestampException($"The certificate \"{signer.Subject}\" is not for time-stamping (a critical extended key usage timeStamping).");
        }
        var time = info.Timestamp;
        if (time < signer.NotBefore.ToUniversalTime() || time > signer.NotAfter.ToUniversalTime())
        {
            throw new TimestampException($"The certificate \"{signer.Subject}\" was not valid at the stamped time {time:O}.");
        }
        if (trusted is { Count: > 0 }) RequireChain(signer, decoded, trusted, time);
        return new VerifiedTimestamp(time, signer.Subject);
    }

    /// <summary>The certificates of a PEM file, for <see cref="Verify"/>; refuses a file that holds none.</summary>
    public static X509Certificate2Collection LoadTrusted(string path)
    {
        const string key = "Consent:Log:Timestamp:TrustedCertificatesPath";
        if (!File.Exists(path)) throw new TimestampException($"{key} is \"{path}\", which is not a file: give a PEM file of the authority's CA certificates.");
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (CryptographicException)
        {
            throw new TimestampException($"{key} \"{path}\" could not be read as PEM certificates.");
        }
        return certificates.Count > 0 ? certificates : throw new TimestampException($"{key} \"{path}\" holds no PEM certificate.");
    }

    private static void RequireChain(X509Certificate2 signer, Rfc3161TimestampToken token, X509Certificate2Collection trusted, DateTimeOffset time)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(trusted);
        chain.ChainPolicy.ExtraStore.AddRange(token.AsSignedCms().Certificates);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        chain.ChainPolicy.VerificationTime = time.UtcDateTime;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(TimeStamping));
        if (chain.Build(signer)) return;
        var reasons = string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());
        throw new TimestampException($"The certificate \"{signer.Subject}\" does not chain to a trusted certificate ({reasons}).");
    }
}
