using Consent.Core.Consents;

namespace Consent.App;

/// <summary>
/// Runs retention (<see cref="ConsentRetention"/>, <c>Consent:RetentionYears</c>) a minute after start and then once a day, on the
/// app's clock. Every instance runs it; they share the work, since only records still linked are changed.
/// </summary>
public sealed partial class RetentionJob(ConsentRetention retention, TimeProvider time, ILogger<RetentionJob> log) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Interval = TimeSpan.FromDays(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var wait = FirstRunAfter;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            wait = Interval;
            try
            {
                await retention.EraseExpiredAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Tomorrow's run starts where this one stopped: records stay linked a day longer, nothing is lost.
                LogFailed(log, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2061, EventName = "RetentionFailed", Level = LogLevel.Error,
        Message = "The retention run failed; it runs again in a day")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
