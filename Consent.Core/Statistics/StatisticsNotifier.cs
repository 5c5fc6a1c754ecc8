using Consent.Core.Persistence;

namespace Consent.Core.Statistics;

/// <summary>
/// Tells open dashboards that the rollups changed (a consent commit, a flush of banner views), so
/// they can re-query without a page reload: changes made on this instance, and through the
/// <see cref="ChangeFeed"/> those made on the others.
/// </summary>
public sealed class StatisticsNotifier
{
    public StatisticsNotifier(ChangeFeed changes) =>
        changes.Changed += topic =>
        {
            if (topic == ChangeTopic.Statistics) Raise();
        };

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
