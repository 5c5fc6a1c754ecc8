using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// Asks the configured RFC 3161 authority (<c>Consent:Log:Timestamp:Url</c>) to timestamp a signed note: a SHA-256
/// imprint with a fresh nonce, posted as <c>application/timestamp-query</c>; the reply is checked before it is kept.
/// </summary>
public sealed partial class TimestampService
{
    /// <summary>Replies larger than this are refused; a token with its certificates is a few kilobytes.</summary>
    private const int MaxReplyBytes = 64 * 1024;

    private readonly HttpClient http;
    private readonly TimestampOptions options;
    private readonly X509Certificate2Collection? trusted;
    private readonly ILogger<TimestampService> log;

    public TimestampService(HttpClient http, IOptions<CheckpointOptions> options, ILogger<TimestampService> log)
    {
        this.http = http;
        this.options = options.Value.Timestamp;
        this.log = log;
        trusted = string.IsNullOrEmpty(this.options.TrustedCertificatesPath) ? null : TimestampVerifier.LoadTrusted(this.options.TrustedCertificatesPath);
    }

    public bool IsConfigured => !string.IsNullOrEmpty(options.Url);

    /// <summary>The trusted certificates of <c>Consent:Log:Timestamp:TrustedCertificatesPath</c>, if any.</summary>
    public X509Certificate2Collection? Trusted => trusted;

    /// <summary>
    /// The token for the note; null when no authority is configured, or when it failed: then a warning says why, and
    /// the caller goes on without a token.
    /// </summary>
    public async Task<byte[]?> TryStampAsync(byte[] note, CancellationToken ct = default)
    {
        if (!IsConfigured) return null;
        try
        {
            return await StampAsync(note, ct);
        }
        catch (Exception e) when (e is TimestampException or HttpRequestException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            var reason = e is OperationCanceledException ? $"no answer within {options.TimeoutSeconds} s" : e.Message;
            LogStampFailed(log, new Uri(options.Url!).Host, reason);
            return null;
        }
    }

    /// <summary>The checked token (DER) for the note; throws <see cref="TimestampException"/> when the authority fails.</summary>
    public async Task<byte[]> StampAsync(byte[] note, CancellationToken ct = default)
    {
        if (!IsConfigured) throw new InvalidOperationException("No time-stamping authority is configured (Consent:Log:Timestamp:Url).");
        var request = Rfc3161TimestampRequest.CreateFromData(note, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(16), requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(options.TimeoutSeconds));
        using var response = await http.PostAsync(options.Url, content, timeout.Token);
        if (!response.IsSuccessStatusCode) throw new TimestampException($"The authority answered {(int)response.StatusCode} {response.ReasonPhrase}.");
        var reply = await ReadCappedAsync(response.Content, timeout.Token);
        Rfc3161TimestampToken token;
        try
        {
            // Checks the reply's status, that it stamps this imprint and carries this nonce, and the signer's certificate.
            token = request.ProcessResponse(reply, out _);
        }
        catch (CryptographicException e)
        {
            throw new TimestampException($"The authority's reply was refused: {e.Message}");
        }
        var encoded = token.AsSignedCms().Encode();
        TimestampVerifier.Verify(encoded, note, trusted);
        return encoded;
    }

    private static async Task<byte[]> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        if (content.Headers.ContentLength > MaxReplyBytes) throw new TimestampException($"The authority's reply is larger than {MaxReplyBytes / 1024} KiB.");
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int n;
        while ((n = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > MaxReplyBytes) throw new TimestampException($"The authority's reply is larger than {MaxReplyBytes / 1024} KiB.");
            buffer.Write(chunk, 0, n);
        }
        return buffer.ToArray();
    }

    [LoggerMessage(EventId = 5110, EventName = "CheckpointTimestampFailed", Level = LogLevel.Warning,
        Message = "The time-stamping authority at {Host} did not timestamp the checkpoint ({Reason}); it is stored without a token, and the next checkpoint asks again")]
    private static partial void LogStampFailed(ILogger logger, string host, string reason);
}
