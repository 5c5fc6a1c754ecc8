using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>
/// The members' forms other than sign-in (sign-up, a new confirmation link, forgotten and changed passwords, a new e-mail address):
/// every post counts per client, and each mail they send counts per address, so no one can fill a stranger's inbox.
/// </summary>
public sealed class MemberFormLimits(IOptions<RateLimitOptions> options, RateLimitHits hits)
    : AccountLimits(options.Value, hits, (PerClient, options.Value.MemberForms), (PerAddress, options.Value.MemberMailsPerAddress))
{
    public const string PerClient = nameof(RateLimitOptions.MemberForms);
    public const string PerAddress = nameof(RateLimitOptions.MemberMailsPerAddress);
}
