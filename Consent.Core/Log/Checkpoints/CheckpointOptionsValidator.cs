using Microsoft.Extensions.Options;

namespace Consent.Core.Log.Checkpoints;

/// <summary>Refuses to start with a log setting that would sign nothing or sign wrongly, saying which one.</summary>
public sealed class CheckpointOptionsValidator : IValidateOptions<CheckpointOptions>
{
    /// <summary>A day: signing less often leaves a day of records without a signed checkpoint.</summary>
    public const int MaxCheckpointMinutes = 24 * 60;

    public ValidateOptionsResult Validate(string? name, CheckpointOptions options)
    {
        var failures = new List<string>();
        if (!NoteText.IsValidKeyName(options.Origin))
        {
            failures.Add($"Consent:Log:Origin is \"{options.Origin}\"; it must be one word without spaces or plus signs, such as \"consent.example.org/log\" (it names the log and its key).");
        }
        if (options.CheckpointMinutes is < 1 or > MaxCheckpointMinutes)
        {
            failures.Add($"Consent:Log:CheckpointMinutes is {options.CheckpointMinutes}; it must be a whole number of minutes from 1 to {MaxCheckpointMinutes}.");
        }
        var timestamp = options.Timestamp;
        if (!string.IsNullOrEmpty(timestamp.Url)
            && !(Uri.TryCreate(timestamp.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            failures.Add($"Consent:Log:Timestamp:Url is \"{timestamp.Url}\"; it must be the http(s) address of an RFC 3161 time-stamping authority.");
        }
        if (timestamp.TimeoutSeconds is < 1 or > 120)
        {
            failures.Add($"Consent:Log:Timestamp:TimeoutSeconds is {timestamp.TimeoutSeconds}; it must be from 1 to 120.");
        }
        if (!string.IsNullOrEmpty(timestamp.TrustedCertificatesPath))
        {
            if (string.IsNullOrEmpty(timestamp.Url)) failures.Add("Consent:Log:Timestamp:TrustedCertificatesPath is set without Consent:Log:Timestamp:Url.");
            try
            {
                TimestampVerifier.LoadTrusted(timestamp.TrustedCertificatesPath);
            }
            catch (TimestampException e)
            {
                failures.Add(e.Message);
            }
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
