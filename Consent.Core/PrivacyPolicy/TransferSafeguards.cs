namespace Consent.Core.PrivacyPolicy;

/// <summary>
/// The usual grounds for a transfer of personal data (GDPR chapter V) by the words the configuration uses; the privacy policy
/// shows each in the visitor's language. Another safeguard is written out in words and shown as written.
/// </summary>
public static class TransferSafeguards
{
    public const string WithinEea = "within-eea";
    public const string AdequacyDecision = "adequacy-decision";
    public const string StandardContractualClauses = "standard-contractual-clauses";
    public const string BindingCorporateRules = "binding-corporate-rules";

    public static IReadOnlyList<string> All { get; } = [WithinEea, AdequacyDecision, StandardContractualClauses, BindingCorporateRules];

    public static bool IsKnown(string? safeguard) => All.Contains(safeguard);
}
