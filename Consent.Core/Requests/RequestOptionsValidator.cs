using Microsoft.Extensions.Options;

namespace Consent.Core.Requests;

/// <summary>Refuses a start with request settings that could not work, naming the key and what it takes.</summary>
public sealed class RequestOptionsValidator : IValidateOptions<RequestOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestOptions options)
    {
        var failures = new List<string>();
        if (!RequestDeadlines.TryFindZone(options.TimeZone, out _))
        {
            failures.Add($"Consent:Requests:TimeZone is \"{options.TimeZone}\"; it must be an IANA time zone such as \"Europe/Paris\".");
        }
        Range(options.CodeMinutes, 5, 24 * 60, "CodeMinutes", "minutes an e-mail code stays valid", failures);
        Range(options.CodeAttempts, 1, 20, "CodeAttempts", "wrong codes allowed", failures);
        Range(options.CodesPerRequest, 1, 10, "CodesPerRequest", "codes sent per request", failures);
        Range(options.UnverifiedDays, 1, 90, "UnverifiedDays", "days an unverified request is kept", failures);
        Range(options.ClosedRetentionYears, 1, 30, "ClosedRetentionYears", "years a closed request is kept", failures);
        Range(options.FileLinkDays, 1, 90, "FileLinkDays", "days a file link opens the file", failures);
        Range(options.DueSoonDays, 1, 31, "DueSoonDays", "days ahead a request counts as due soon", failures);
        Range(options.ReminderHour, 0, 23, "ReminderHour", "the hour the daily reminder is sent after", failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void Range(int value, int min, int max, string key, string what, List<string> failures)
    {
        if (value < min || value > max) failures.Add($"Consent:Requests:{key} is {value}; it must be the {what}, from {min} to {max}.");
    }
}
