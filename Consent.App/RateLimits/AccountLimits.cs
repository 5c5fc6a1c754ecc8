using System.Threading.RateLimiting;

namespace Consent.App.RateLimits;

/// <summary>Which limit refused an attempt, and in how many whole seconds it may be tried again.</summary>
public sealed record SignInRefusal(string Limit, int RetryAfterSeconds);

/// <summary>
/// Attempts limited per client and per account (a normalised email or username, whether or not it has an account), with the
/// limiters ASP.NET Core's rate limiting is built on. Checked by the forms themselves: the account is in the posted form,
/// which a rate-limiting policy cannot read, and the form can then say on the page what happened.
/// </summary>
public abstract class AccountLimits : IDisposable
{
    private readonly bool enabled;
    private readonly RateLimitHits hits;
    private readonly (string Name, WindowLimit Window) perClient;
    private readonly (string Name, WindowLimit Window) perAccount;
    private readonly PartitionedRateLimiter<string> clients;
    private readonly PartitionedRateLimiter<string> accounts;

    protected AccountLimits(RateLimitOptions options, RateLimitHits hits, (string Name, WindowLimit Window) perClient, (string Name, WindowLimit Window) perAccount)
    {
        enabled = options.Enabled;
        this.hits = hits;
        this.perClient = perClient;
        this.perAccount = perAccount;
        clients = PartitionedRateLimiter.Create<string, string>(client =>
            RateLimitPartition.GetFixedWindowLimiter(client, _ => RateLimitPolicies.WindowOf(perClient.Window)));
        accounts = PartitionedRateLimiter.Create<string, string>(account =>
            RateLimitPartition.GetFixedWindowLimiter(account, _ => RateLimitPolicies.WindowOf(perAccount.Window)));
    }

    /// <summary>Takes one attempt of <paramref name="client"/> and then of <paramref name="account"/>; null when both allow it.</summary>
    public SignInRefusal? TryAcquire(string client, string account) => TryAcquireClient(client) ?? TryAcquireAccount(account);

    /// <summary>Takes one attempt of <paramref name="client"/> only: a form whose input is not yet known to be an account.</summary>
    public SignInRefusal? TryAcquireClient(string client)
    {
        if (!enabled) return null;
        // The client first: a client over its limit cannot make the accounts' limiters remember more emails.
        using var lease = clients.AttemptAcquire(client);
        return lease.IsAcquired ? null : Refuse(perClient, lease);
    }

    public SignInRefusal? TryAcquireAccount(string account)
    {
        if (!enabled) return null;
        using var lease = accounts.AttemptAcquire(account);
        return lease.IsAcquired ? null : Refuse(perAccount, lease);
    }

    private SignInRefusal Refuse((string Name, WindowLimit Window) limit, RateLimitLease lease)
    {
        hits.Count(limit.Name);
        return new SignInRefusal(limit.Name, RateLimitPolicies.SecondsToWait(lease, limit.Window));
    }

    public void Dispose()
    {
        clients.Dispose();
        accounts.Dispose();
        GC.SuppressFinalize(this);
    }
}
