using Consent.Core.Log.Checkpoints;
using Microsoft.Extensions.Options;

namespace Consent.App;

/// <summary>
/// Signs a checkpoint of the log every <c>Consent:Log:CheckpointMinutes</c> when it has grown. Every instance runs it;
/// one checkpoint per tree size is stored all the same (<see cref="CheckpointService.SignNowAsync"/>).
/// </summary>
public sealed partial class CheckpointSigning(CheckpointService checkpoints, IOptions<CheckpointOptions> options, TimeProvider time,
    ILogger<CheckpointSigning> log) : BackgroundService
{
    private long rounds;

    /// <summary>How many rounds have ended, signed or not: a test waits for it instead of sleeping.</summary>
    public long Rounds => Interlocked.Read(ref rounds);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(options.Value.CheckpointMinutes), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await checkpoints.SignNowAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The next round tries again; records are safe in the meantime, only not yet under a signed checkpoint.
                    LogFailed(log, ex);
                }
                Interlocked.Increment(ref rounds);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(EventId = 5120, EventName = "CheckpointSigningFailed", Level = LogLevel.Error,
        Message = "Could not sign a checkpoint of the log; the next round tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
