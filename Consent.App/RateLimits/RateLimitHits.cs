namespace Consent.App.RateLimits;

/// <summary>
/// Logs refused requests without the client's address, at most one line per limit and minute with how many were
/// refused since the last line: a flood must not fill the operator's log either.
/// </summary>
public sealed partial class RateLimitHits(TimeProvider time, ILogger<RateLimitHits> log)
{
    public static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);

    private readonly Lock gate = new();
    private readonly Dictionary<string, (long Refused, DateTimeOffset LoggedAt)> tallies = [];

    public void Count(string limit)
    {
        var now = time.GetUtcNow();
        long refused;
        lock (gate)
        {
            var (count, loggedAt) = tallies.GetValueOrDefault(limit, (0, DateTimeOffset.MinValue));
            count++;
            if (now - loggedAt < Quiet && now >= loggedAt)
            {
                tallies[limit] = (count, loggedAt);
                return;
            }
            tallies[limit] = (0, now);
            refused = count;
        }
        LogRefused(log, limit, refused);
    }

    [LoggerMessage(EventId = 4002, EventName = "RateLimited", Level = LogLevel.Warning,
        Message = "The {Limit} rate limit refused {Refused} request(s) since it was last logged (logged at most once a minute)")]
    private static partial void LogRefused(ILogger logger, string limit, long refused);
}
