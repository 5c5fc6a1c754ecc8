using Consent.Core.Policies;
using Consent.Core.Requests;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Consent.App;

/// <summary>
/// Runs the register's daily run (<see cref="RequestReminders"/>: the DPO's reminder, the clean-up) a minute after start and then every
/// hour, on the app's clock, unless <c>Consent:Requests:RemindersEnabled</c> is false. The reminder itself goes once a day, from
/// <c>ReminderHour</c>, whichever instance stores the day first.
/// </summary>
public sealed partial class RequestReminderJob(
    RequestReminders reminders, IOptions<RequestOptions> options, IOptions<ConsentOptions> consent, IServer server, TimeProvider time,
    ILogger<RequestReminderJob> log) : PeriodicJob(time)
{
    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override bool Enabled => options.Value.RemindersEnabled;

    protected override Task RunOnceAsync(CancellationToken ct) => reminders.RunAsync(CenterAddress.Of(consent.Value, server), ct);

    // The next hour's run reads the register afresh; a reminder not sent has left no day's row behind.
    protected override void OnRunFailed(Exception exception) => LogFailed(log, exception);

    protected override void OnDisabled() => LogDisabled(log);

    [LoggerMessage(EventId = 2093, EventName = "RequestReminderFailed", Level = LogLevel.Error,
        Message = "The rights requests' daily run (reminder and clean-up) failed; it runs again in an hour")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2094, EventName = "RequestRemindersDisabled", Level = LogLevel.Warning,
        Message = "Consent:Requests:RemindersEnabled is false: this instance neither reminds the DPO of due requests nor deletes unverified requests and expired files")]
    private static partial void LogDisabled(ILogger logger);
}
