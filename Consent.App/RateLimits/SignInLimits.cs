using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>Sign-in attempts per client and per account, the team's and the members' alike (see <see cref="AccountLimits"/>).</summary>
public sealed class SignInLimits(IOptions<RateLimitOptions> options, RateLimitHits hits)
    : AccountLimits(options.Value, hits, (PerClient, options.Value.SignIn), (PerAccount, options.Value.SignInPerAccount))
{
    public const string PerClient = nameof(RateLimitOptions.SignIn);
    public const string PerAccount = nameof(RateLimitOptions.SignInPerAccount);
}
