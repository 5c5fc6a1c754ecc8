namespace Consent.Core.PrivacyPolicy;

/// <summary>
/// Settings of section "Consent:Dpo": the Data Protection Officer the privacy policy names. Unset, the e-mail is
/// <c>Consent:Controller:Contact</c> and the address <c>Consent:Controller:Address</c>, as in the seed (dpo@opendatasoft.com,
/// the registered office).
/// </summary>
public sealed class DpoOptions
{
    public const string Section = "Dpo";

    /// <summary>The officer's name, or a service's; empty: the page says "our Data Protection Officer" only.</summary>
    public string? Name { get; set; }

    public string? Email { get; set; }

    /// <summary>The postal address a person writes to.</summary>
    public string? Address { get; set; }
}
