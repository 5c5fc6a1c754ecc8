using Microsoft.Extensions.Options;

namespace Consent.App.RateLimits;

/// <summary>Refuses to start with a limit that cannot work, naming its key.</summary>
public sealed class RateLimitOptionsValidator : IValidateOptions<RateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, RateLimitOptions options)
    {
        var failures = new List<string>();
        foreach (var (limit, value) in options.All())
        {
            if (value is null)
            {
                failures.Add($"{RateLimitOptions.Section}:{limit} is empty; give it a PermitLimit and a WindowSeconds, or leave it out for the default.");
                continue;
            }
            if (value.PermitLimit is < 1 or > WindowLimit.MaxPermitLimit)
            {
                failures.Add($"{RateLimitOptions.Section}:{limit}:PermitLimit is {value.PermitLimit}; it must be a whole number of requests from 1 to {WindowLimit.MaxPermitLimit} (to turn the limits off, set {RateLimitOptions.Section}:Enabled to false).");
            }
            if (value.WindowSeconds is < 1 or > WindowLimit.MaxWindowSeconds)
            {
                failures.Add($"{RateLimitOptions.Section}:{limit}:WindowSeconds is {value.WindowSeconds}; it must be a whole number of seconds from 1 to {WindowLimit.MaxWindowSeconds} (a day).");
            }
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
