using Consent.Core.Members;
using Consent.Core.Policies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Consent.App;

/// <summary>
/// Runs the members' retention (<see cref="MemberRetention"/>, <c>Consent:Members:Retention</c>) a minute after start and then every
/// <c>RunEveryHours</c>, on the app's clock, unless <c>Enabled</c> is false. On PostgreSQL every instance tries and one at a time runs it.
/// </summary>
public sealed partial class MemberRetentionJob(
    MemberRetention retention, IOptions<MemberRetentionOptions> options, IOptions<ConsentOptions> consent, IServer server, TimeProvider time,
    ILogger<MemberRetentionJob> log) : BackgroundService
{
    public static readonly TimeSpan FirstRunAfter = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            LogDisabled(log);
            return;
        }
        var interval = TimeSpan.FromHours(options.Value.RunEveryHours);
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
            wait = interval;
            try
            {
                await retention.RunAsync(CenterAddress.Of(consent.Value, server), stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // The next run picks up what this one left: each rule reads the members' state afresh.
                LogFailed(log, ex, options.Value.RunEveryHours);
            }
        }
    }

    [LoggerMessage(EventId = 2073, EventName = "MemberRetentionFailed", Level = LogLevel.Error,
        Message = "The members' retention run failed; it runs again in {Hours} h")]
    private static partial void LogFailed(ILogger logger, Exception exception, int hours);

    [LoggerMessage(EventId = 2074, EventName = "MemberRetentionDisabled", Level = LogLevel.Warning,
        Message = "Consent:Members:Retention:Enabled is false: this instance neither warns nor erases inactive accounts, nor lapses offers")]
    private static partial void LogDisabled(ILogger logger);
}
