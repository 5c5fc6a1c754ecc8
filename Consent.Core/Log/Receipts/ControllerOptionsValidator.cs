using Microsoft.Extensions.Options;

namespace Consent.Core.Log.Receipts;

/// <summary>Refuses to start with a controller every receipt would name wrongly, saying which setting.</summary>
public sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    public const int MaxLength = 200;

    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        var failures = new List<string>();
        Text(options.Name, "Name", "the controller's legal name, such as \"Opendatasoft\"", failures);
        Text(options.Contact, "Contact", "an e-mail address or a web address to write to, such as \"dpo@example.org\"", failures);
        Text(options.Address, "Address", "the controller's postal address", failures);
        if (options.Jurisdiction is not { Length: 2 } j || !j.All(char.IsAsciiLetterUpper))
        {
            failures.Add($"Consent:Controller:Jurisdiction is \"{options.Jurisdiction}\"; it must be a country's two capital letters (ISO 3166-1), such as \"FR\".");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    private static void Text(string? value, string key, string what, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > MaxLength || value.Any(char.IsControl))
        {
            failures.Add($"Consent:Controller:{key} is \"{value}\"; it must be {what}, one line of at most {MaxLength} characters.");
        }
    }
}
