using Consent.Core.Persistence;

namespace Consent.App;

/// <summary>
/// Listens, for as long as the app runs, to changes made on the other instances on the same PostgreSQL database
/// (<see cref="ChangeFeed"/>), so that kept copies and open dashboards follow them. Nothing to do on SQLite.
/// </summary>
public sealed class ChangeListening(ChangeFeed changes) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => changes.ListenAsync(stoppingToken);
}
