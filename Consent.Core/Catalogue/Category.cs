namespace Consent.Core.Catalogue;

/// <summary>A purpose a visitor can grant or refuse ("Analytics"); a required one is always on.</summary>
public sealed class Category
{
    public const string FunctionalKey = "functional";

    public int Id { get; set; }
    public required string Key { get; set; }
    public required string Name { get; set; }
    public required string Description { get; set; }
    public bool IsRequired { get; set; }
    public int Order { get; set; }

    /// <summary>
    /// The Google Consent Mode types (<see cref="ConsentMode.GoogleConsentTypes"/>) that a grant of this category
    /// grants to Google's tags. Stored as a JSON array; empty when the category means nothing to Google.
    /// </summary>
    public List<string> GoogleConsentTypes { get; set; } = [];
    public List<CookieDefinition> Cookies { get; set; } = [];
}
