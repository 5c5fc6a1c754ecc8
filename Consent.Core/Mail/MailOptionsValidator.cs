using Microsoft.Extensions.Options;

namespace Consent.Core.Mail;

/// <summary>Refuses to start with a mail setting that could never send, saying which key. No server at all is not one: see <see cref="MailOptions.CanSend"/>.</summary>
public sealed class MailOptionsValidator : IValidateOptions<MailOptions>
{
    public const int MaxTimeoutSeconds = 300;

    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        var failures = new List<string>();
        if (!MailAddresses.IsValid(options.From))
        {
            failures.Add($"Consent:Mail:From is \"{options.From}\"; it must be one e-mail address such as privacy@example.org (the name shown goes in Consent:Mail:FromName).");
        }
        if (!MailAddresses.IsOneLine(options.FromName) || options.FromName.Length > 200)
        {
            failures.Add("Consent:Mail:FromName must be one line of at most 200 characters.");
        }
        var smtp = options.Smtp;
        if (smtp.Port is < 1 or > 65535)
        {
            failures.Add($"Consent:Mail:Smtp:Port is {smtp.Port}; it must be a TCP port from 1 to 65535 (587 for STARTTLS, 465 for TLS).");
        }
        if (!MailSecurity.IsKnown(smtp.Security))
        {
            failures.Add($"Consent:Mail:Smtp:Security is \"{smtp.Security}\"; it must be one of {string.Join(", ", MailSecurity.All)}.");
        }
        if (smtp.TimeoutSeconds is < 1 or > MaxTimeoutSeconds)
        {
            failures.Add($"Consent:Mail:Smtp:TimeoutSeconds is {smtp.TimeoutSeconds}; it must be from 1 to {MaxTimeoutSeconds}.");
        }
        if (string.IsNullOrEmpty(smtp.Username) && !string.IsNullOrEmpty(smtp.Password))
        {
            failures.Add("Consent:Mail:Smtp:Password is set without Consent:Mail:Smtp:Username.");
        }
        if (!string.IsNullOrWhiteSpace(options.PickupDirectory) && File.Exists(options.PickupDirectory))
        {
            failures.Add($"Consent:Mail:PickupDirectory is \"{options.PickupDirectory}\", which is a file; it must be a folder (created when missing).");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
