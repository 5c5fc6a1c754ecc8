using Consent.Core.Statistics;

namespace Consent.App;

/// <summary>
/// Stores the banner views still counted in memory (<see cref="BannerViewCounter"/>) when the app stops:
/// after the web server has answered its last request, and before the services are disposed.
/// A hosted service rather than an <c>ApplicationStopped</c> callback, because the host awaits it.
/// </summary>
public sealed class BannerViewFlushing(BannerViewCounter bannerViews) : IHostedLifecycleService
{
    public Task StoppedAsync(CancellationToken cancellationToken) => bannerViews.FlushAsync(CancellationToken.None);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
