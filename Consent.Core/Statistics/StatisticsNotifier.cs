namespace Consent.Core.Statistics;

/// <summary>
/// Tells open dashboards that the rollups changed (a consent commit, a flush of banner views), so
/// they can re-query without a page reload. In-process only: a dashboard connected to another
/// instance learns of the change at its next refresh.
/// </summary>
public sealed class StatisticsNotifier
{
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
            catch (Exception)
            {
                // A dashboard's failure must not reach the visitor whose consent was just stored.
            }
        }
    }
}
