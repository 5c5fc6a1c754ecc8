namespace Consent.App;

/// <summary>
/// A background job that runs a minute after start and then every <see cref="Interval"/>, on the app's clock. A failed run is logged
/// (<see cref="OnRunFailed"/>) and the next starts afresh; stopping the app ends the wait or the run in progress.
/// </summary>
public abstract class PeriodicJob(TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(1);

    protected abstract TimeSpan Interval { get; }

    /// <summary>False: the job logs <see cref="OnDisabled"/> once and never runs on this instance.</summary>
    protected virtual bool Enabled => true;

    protected abstract Task RunOnceAsync(CancellationToken ct);

    protected abstract void OnRunFailed(Exception exception);

    protected virtual void OnDisabled()
    {
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            OnDisabled();
            return;
        }
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
                await RunOnceAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                OnRunFailed(ex);
            }
        }
    }
}
