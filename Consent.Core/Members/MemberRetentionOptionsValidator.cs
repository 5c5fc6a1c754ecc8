using Microsoft.Extensions.Options;

namespace Consent.Core.Members;

/// <summary>Refuses to start with a retention period the job could not apply or the privacy policy could not state, saying which setting.</summary>
public sealed class MemberRetentionOptionsValidator : IValidateOptions<MemberRetentionOptions>
{
    private const string Key = "Consent:Members:Retention";

    public ValidateOptionsResult Validate(string? name, MemberRetentionOptions options)
    {
        var failures = new List<string>();
        if (options.OffersLapseYears is < 1 or > MemberRetentionOptions.MaxYears)
        {
            failures.Add($"{Key}:OffersLapseYears is {options.OffersLapseYears}; it must be a whole number of years from 1 to {MemberRetentionOptions.MaxYears}: an opt-in to commercial offers lapses that long after the member's last contact.");
        }
        if (options.InactiveAccountYears is < 1 or > MemberRetentionOptions.MaxYears)
        {
            failures.Add($"{Key}:InactiveAccountYears is {options.InactiveAccountYears}; it must be a whole number of years from 1 to {MemberRetentionOptions.MaxYears}: an account without contact that long is erased.");
        }
        if (options.WarningDays is < 1 or > MemberRetentionOptions.MaxWarningDays)
        {
            failures.Add($"{Key}:WarningDays is {options.WarningDays}; it must be a whole number of days from 1 to {MemberRetentionOptions.MaxWarningDays}: the member is warned that many days before the account is erased.");
        }
        // A year has at least 365 days: a warning that early would go before the account is even inactive.
        else if (options.InactiveAccountYears >= 1 && options.WarningDays >= options.InactiveAccountYears * 365)
        {
            failures.Add($"{Key}:WarningDays is {options.WarningDays}; it must be fewer days than {Key}:InactiveAccountYears ({options.InactiveAccountYears} years), or the warning would go before the account is inactive.");
        }
        if (options.RunEveryHours is < 1 or > MemberRetentionOptions.MaxRunEveryHours)
        {
            failures.Add($"{Key}:RunEveryHours is {options.RunEveryHours}; it must be a whole number of hours from 1 to {MemberRetentionOptions.MaxRunEveryHours}.");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
