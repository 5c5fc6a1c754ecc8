using System.Globalization;
using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace Consent.Core.PrivacyPolicy;

/// <summary>Refuses to start with a DPO or a processor the privacy policy would state wrongly, saying which setting.</summary>
public sealed class PrivacyPolicyOptionsValidator : IValidateOptions<PrivacyPolicyOptions>
{
    public const int MaxLength = 200;

    public ValidateOptionsResult Validate(string? name, PrivacyPolicyOptions options)
    {
        var failures = new List<string>();
        var dpo = options.Dpo;
        if (!string.IsNullOrEmpty(dpo.Name)) Text(dpo.Name, "Consent:Dpo:Name", "the Data Protection Officer's name", failures);
        if (!IsEmail(dpo.Email))
        {
            failures.Add($"Consent:Dpo:Email is \"{dpo.Email}\"; it must be the Data Protection Officer's e-mail address, such as \"dpo@example.org\" (unset, it is Consent:Controller:Contact).");
        }
        Text(dpo.Address, "Consent:Dpo:Address", "the postal address to write to the Data Protection Officer (unset, it is Consent:Controller:Address)", failures);

        for (var i = 0; i < options.Processors.Count; i++)
        {
            var processor = options.Processors[i];
            var key = $"Consent:Processors:{i}";
            Text(processor.Name, $"{key}:Name", "the processor's name, such as \"Brevo\"", failures);
            Text(processor.Purpose, $"{key}:Purpose", "what the processor does with the data, such as \"Sending the newsletters\"", failures);
            if (!IsCountry(processor.Country))
            {
                failures.Add($"{key}:Country is \"{processor.Country}\"; it must be a country's two capital letters (ISO 3166-1), such as \"FR\" or \"US\".");
            }
            if (!TransferSafeguards.IsKnown(processor.Safeguard) && (processor.Safeguard?.Contains(' ') != true || !IsLine(processor.Safeguard)))
            {
                failures.Add($"{key}:Safeguard is \"{processor.Safeguard}\"; it must be one of {string.Join(", ", TransferSafeguards.All)}, or the safeguard written out in words.");
            }
            if (!string.IsNullOrEmpty(processor.Url) && !(Uri.TryCreate(processor.Url, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
            {
                failures.Add($"{key}:Url is \"{processor.Url}\"; it must be an absolute http(s) address, such as \"https://www.example.org/privacy\", or unset.");
            }
            // An entry configured over a shipped example keeps the example's Example: true unless it is set to false.
            if (processor.Example && processor.Name?.StartsWith("Example", StringComparison.Ordinal) != true)
            {
                failures.Add($"{key}:Example is true but its name \"{processor.Name}\" does not begin with \"Example\"; set {key}:Example to false for a real processor.");
            }
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static void Text(string? value, string key, string what, List<string> failures)
    {
        if (!IsLine(value)) failures.Add($"{key} is \"{value}\"; it must be {what}, one line of at most {MaxLength} characters.");
    }

    private static bool IsLine(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= MaxLength && !value.Any(char.IsControl);

    private static bool IsEmail(string? value) =>
        IsLine(value) && MailAddress.TryCreate(value, out var address) && address.Address == value && address.DisplayName.Length == 0;

    private static bool IsCountry(string? code)
    {
        if (code is not { Length: 2 } || !code.All(char.IsAsciiLetterUpper)) return false;
        try
        {
            // Two letters .NET knows no country of ("ZZ", "QQ") would show as a raw code.
            _ = new RegionInfo(code);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
