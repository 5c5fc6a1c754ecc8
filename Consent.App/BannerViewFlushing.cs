using Consent.Core.Statistics;

namespace Consent.App;

/// <summary>
/// Stores the banner views still counted in memory (<see cref="BannerViewCounter"/>) when the app stops:
/// after the web server has answered its last request, and before the services are disposed.
/// A hosted service rather than an <c>ApplicationStopped</c> callback, because the host awaits it.
/// </summary>
public sealed partial class BannerViewFlushing(BannerViewCounter bannerViews, ILogger<BannerViewFlushing> log) : IHostedLifecycleService
{
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await bannerViews.FlushAsync(CancellationToken.None);
        }
        catch (Exception ex)
        {
            // The app stops all the same; the operator learns how many views the statistics miss.
            LogLost(log, ex, bannerViews.Pending);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 2002, EventName = "BannerViewsLostOnStop", Level = LogLevel.Error,
        Message = "Could not store the last banner views when stopping: {Lost} are lost from the statistics")]
    private static partial void LogLost(ILogger logger, Exception exception, long lost);
}
