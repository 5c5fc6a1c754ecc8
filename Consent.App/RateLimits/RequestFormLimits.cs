using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>
/// The rights-request form and its e-mail check: every post counts per client, and each request filed counts per address it mails a
/// code to, so no one can fill a stranger's inbox with codes. A request's own new codes are capped by <c>Consent:Requests:CodesPerRequest</c>.
/// </summary>
public sealed class RequestFormLimits(IOptions<RateLimitOptions> options, RateLimitHits hits)
    : AccountLimits(options.Value, hits, (PerClient, options.Value.RequestForms), (PerAddress, options.Value.RequestMailsPerAddress))
{
    public const string PerClient = nameof(RateLimitOptions.RequestForms);
    public const string PerAddress = nameof(RateLimitOptions.RequestMailsPerAddress);
}
