using Consent.Core.Persistence;
using Microsoft.Extensions.Logging;

namespace Consent.Core.Statistics;

/// <summary>
/// Tells open dashboards that the rollups changed (a consent commit, a flush of banner views), so
/// they can re-query without a page reload: changes made on this instance, and through the
/// <see cref="ChangeFeed"/> those made on the others.
/// </summary>
public sealed partial class StatisticsNotifier
{
    private readonly ILogger<StatisticsNotifier> log;

    public StatisticsNotifier(ChangeFeed changes, ILogger<StatisticsNotifier> log)
    {
        this.log = log;
        changes.Changed += topic =>
        {
            if (topic == ChangeTopic.Statistics) Raise();
        };
    }

    /// <summary>Raised after a commit; handlers must be quick (schedule work, do not do it here).</summary>
    public event Action? Changed;

    /// <summary>Calls every handler; one that throws is skipped, because the commit it reports has already happened.</summary>
    public void Raise()
    {
        foreach (var handler in Changed?.GetInvocationList().Cast<Action>() ?? [])
        {
            try
            {
                handler();
            }
            catch (Exception ex)
            {
                // A dashboard's failure must not reach the visitor whose consent was just stored.
                LogHandlerFailed(log, ex);
            }
        }
    }

    [LoggerMessage(EventId = 2030, EventName = "StatisticsHandlerFailed", Level = LogLevel.Error, Message = "An open dashboard failed to take the news of new statistics")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception);
}
