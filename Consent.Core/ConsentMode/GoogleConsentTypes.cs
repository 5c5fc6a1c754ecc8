namespace Consent.Core.ConsentMode;

/// <summary>
/// The consent types of Google Consent Mode v2, by the names Google's tags read. A catalogue category
/// maps to some of them; a type is granted when any category the visitor granted maps it.
/// </summary>
public static class GoogleConsentTypes
{
    public const string AdStorage = "ad_storage";
    public const string AdUserData = "ad_user_data";
    public const string AdPersonalization = "ad_personalization";
    public const string AnalyticsStorage = "analytics_storage";
    public const string FunctionalityStorage = "functionality_storage";
    public const string PersonalizationStorage = "personalization_storage";
    public const string SecurityStorage = "security_storage";

    /// <summary>Every type, in the order Google documents them (and the pages emit them).</summary>
    public static IReadOnlyList<string> All { get; } =
        [AdStorage, AdUserData, AdPersonalization, AnalyticsStorage, FunctionalityStorage, PersonalizationStorage, SecurityStorage];

    /// <summary>
    /// Always granted, whatever the visitor chose: storage for security (authentication, fraud prevention)
    /// is strictly necessary and needs no consent.
    /// </summary>
    public const string AlwaysGranted = SecurityStorage;

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>What each type lets Google's tags do, in a sentence a privacy-team member understands.</summary>
    public static string Describe(string type) => type switch
    {
        AdStorage => "Cookies for advertising.",
        AdUserData => "Sending the visitor's data to Google for advertising.",
        AdPersonalization => "Personalised advertising (remarketing).",
        AnalyticsStorage => "Cookies for audience measurement (for example visit duration).",
        FunctionalityStorage => "Storage that makes the site work (for example the language).",
        PersonalizationStorage => "Storage for personalisation (for example recommendations).",
        SecurityStorage => "Storage for security (authentication, fraud prevention); always granted.",
        _ => "",
    };
}
