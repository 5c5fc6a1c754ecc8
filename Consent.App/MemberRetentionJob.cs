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
    ILogger<MemberRetentionJob> log) : PeriodicJob(time)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(options.Value.RunEveryHours);

    protected override bool Enabled => options.Value.Enabled;

    protected override Task RunOnceAsync(CancellationToken ct) => retention.RunAsync(CenterAddress.Of(consent.Value, server), ct);

    // The next run picks up what this one left: each rule reads the members' state afresh.
    protected override void OnRunFailed(Exception exception) => LogFailed(log, exception, options.Value.RunEveryHours);

    protected override void OnDisabled() => LogDisabled(log);

    [LoggerMessage(EventId = 2073, EventName = "MemberRetentionFailed", Level = LogLevel.Error,
        Message = "The members' retention run failed; it runs again in {Hours} h")]
    private static partial void LogFailed(ILogger logger, Exception exception, int hours);

    [LoggerMessage(EventId = 2074, EventName = "MemberRetentionDisabled", Level = LogLevel.Warning,
        Message = "Consent:Members:Retention:Enabled is false: this instance neither warns nor erases inactive accounts, nor lapses offers")]
    private static partial void LogDisabled(ILogger logger);
}
