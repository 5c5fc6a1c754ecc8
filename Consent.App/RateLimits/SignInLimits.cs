using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>Which sign-in limit refused an attempt, and in how many whole seconds it may be tried again.</summary>
public sealed record SignInRefusal(string Limit, int RetryAfterSeconds);

/// <summary>
/// Sign-in attempts per client and per account (the normalised email, whether or not it has an account), with the
/// limiters ASP.NET Core's rate limiting is built on. Checked by the sign-in form itself: the account is in the posted
/// form, which a rate-limiting policy cannot read, and the form can then say on the page what happened.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    public const string PerClient = nameof(RateLimitOptions.SignIn);
    public const string PerAccount = nameof(RateLimitOptions.SignInPerAccount);

    private readonly RateLimitOptions options;
    private readonly RateLimitHits hits;
    private readonly PartitionedRateLimiter<string> clients;
    private readonly PartitionedRateLimiter<string> accounts;

    public SignInLimits(IOptions<RateLimitOptions> options, RateLimitHits hits)
    {
        this.options = options.Value;
        this.hits = hits;
        clients = PartitionedRateLimiter.Create<string, string>(client =>
            RateLimitPartition.GetFixedWindowLimiter(client, _ => RateLimitPolicies.WindowOf(this.options.SignIn)));
        accounts = PartitionedRateLimiter.Create<string, string>(account =>
            RateLimitPartition.GetFixedWindowLimiter(account, _ => RateLimitPolicies.WindowOf(this.options.SignInPerAccount)));
    }

    /// <summary>Takes one attempt of <paramref name="client"/> and then of <paramref name="account"/>; null when both allow it.</summary>
    public SignInRefusal? TryAcquire(string client, string account)
    {
        if (!options.Enabled) return null;
        // The client first: a client over its limit cannot make the accounts' limiters remember more emails.
        using (var lease = clients.AttemptAcquire(client))
        {
            if (!lease.IsAcquired) return Refuse(PerClient, lease, options.SignIn);
        }
        using (var lease = accounts.AttemptAcquire(account))
        {
            if (!lease.IsAcquired) return Refuse(PerAccount, lease, options.SignInPerAccount);
        }
        return null;
    }

    private SignInRefusal Refuse(string limit, RateLimitLease lease, WindowLimit window)
    {
        hits.Count(limit);
        return new SignInRefusal(limit, RateLimitPolicies.SecondsToWait(lease, window));
    }

    public void Dispose()
    {
        clients.Dispose();
        accounts.Dispose();
    }
}
