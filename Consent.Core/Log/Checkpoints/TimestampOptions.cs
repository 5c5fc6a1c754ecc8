namespace Consent.Core.Log.Checkpoints;

/// <summary>Settings of section "Consent:Log:Timestamp": an optional RFC 3161 time-stamping authority.</summary>
public sealed class TimestampOptions
{
    /// <summary>The authority's address; without it checkpoints are not timestamped.</summary>
    public string? Url { get; set; }

    /// <summary>
    /// A PEM file of the certificates the authority's certificate must chain to. Without it, the token's signature,
    /// hash, nonce and certificate are checked, and the authority is trusted because it is the one configured.
    /// </summary>
    public string? TrustedCertificatesPath { get; set; }

    public int TimeoutSeconds { get; set; } = 10;
}
