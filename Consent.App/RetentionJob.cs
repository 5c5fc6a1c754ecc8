using Consent.Core.Consents;

namespace Consent.App;

/// <summary>
/// Runs retention (<see cref="ConsentRetention"/>, <c>Consent:RetentionYears</c>) a minute after start and then once a day, on the
/// app's clock. Every instance runs it; they share the work, since only records still linked are changed.
/// </summary>
public sealed partial class RetentionJob(ConsentRetention retention, TimeProvider time, ILogger<RetentionJob> log) : PeriodicJob(time)
{
    protected override TimeSpan Interval => TimeSpan.FromDays(1);

    protected override Task RunOnceAsync(CancellationToken ct) => retention.EraseExpiredAsync(ct);

    // Tomorrow's run starts where this one stopped: records stay linked a day longer, nothing is lost.
    protected override void OnRunFailed(Exception exception) => LogFailed(log, exception);

    [LoggerMessage(EventId = 2061, EventName = "RetentionFailed", Level = LogLevel.Error,
        Message = "The retention run failed; it runs again in a day")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
