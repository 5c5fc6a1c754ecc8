using Microsoft.Extensions.Options;

namespace Consent.Core.Policies;

/// <summary>
/// Settings of section "Consent" in configuration. The two periods are the initial values of the
/// settings an Admin edits at /admin/settings (<see cref="ConsentSettingsService"/>); once the
/// database holds them, the database wins.
/// </summary>
public sealed class ConsentOptions
{
    /// <summary>CNIL: a decision is kept at most 13 months; 6 is the usual default.</summary>
    public const int MaxLifetimeMonths = 13;

    /// <summary>The shortest period in months; a choice must hold for at least a month.</summary>
    public const int MinMonths = 1;

    /// <summary>CNIL recommends not asking again for at least 6 months after a refusal.</summary>
    public const int RecommendedMinRefusalMonths = 6;

    /// <summary>How many months a decision stays valid before the banner asks again (1 to 13).</summary>
    public int LifetimeMonths { get; set; } = 6;

    /// <summary>How many months a refusal of every optional category holds before the banner asks again (1 to 13).</summary>
    public int RefusalLifetimeMonths { get; set; } = 6;

    /// <summary>The longest retention period <see cref="RetentionYears"/> accepts.</summary>
    public const int MaxRetentionYears = 100;

    /// <summary>
    /// After how many years a record's personal part (its visitor id and commitment salt) is erased by the retention job; the record
    /// itself, its leaf and the rollups stay (1 to 100).
    /// </summary>
    public int RetentionYears { get; set; } = 5;

    /// <summary>
    /// The address of the cookie policy that receipts and <c>/api/v1/config</c> name; empty: the center's own <c>/cookies</c> page
    /// at the address it was asked on.
    /// </summary>
    public string? PolicyUrl { get; set; }

    /// <summary>
    /// The center's public address (<c>https://consent.example.org</c>), for links in mail sent with no request to take it from
    /// (the members' inactivity warning); empty: the address the app listens on.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>The longest site id: it is stored with each record the site's pages make.</summary>
    public const int MaxSiteId = 64;

    /// <summary>
    /// Other websites allowed to use the center through the API and the embedded script: site id → origin
    /// (<c>"docs": "https://docs.example.org"</c>). Their origins are the API's CORS allow-list, and a choice
    /// made on one of their pages is recorded with the site id.
    /// </summary>
    public Dictionary<string, string> Sites { get; set; } = [];

    /// <summary>The configured site whose origin this is, if any (origins compare without regard to case).</summary>
    public string? SiteOf(string origin) =>
        Sites.FirstOrDefault(s => string.Equals(s.Value, origin, StringComparison.OrdinalIgnoreCase)).Key;
}

/// <summary>
/// Refuses to start the center with a period CNIL would not accept, saying which value is wrong.
/// Same limits as <see cref="ConsentSettingsInputValidator"/>; its warning (a re-ask interval below
/// 6 months) cannot be confirmed at start, so configuration may set it and the settings page shows it.
/// </summary>
public sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options)
    {
        var failures = new List<string>();
        if (options.LifetimeMonths is < ConsentOptions.MinMonths or > ConsentOptions.MaxLifetimeMonths)
        {
            failures.Add($"Consent:LifetimeMonths is {options.LifetimeMonths}; it must be a whole number of months from 1 to {ConsentOptions.MaxLifetimeMonths} (CNIL: consent is kept at most 13 months).");
        }
        if (options.RefusalLifetimeMonths is < ConsentOptions.MinMonths or > ConsentOptions.MaxLifetimeMonths)
        {
            failures.Add($"Consent:RefusalLifetimeMonths is {options.RefusalLifetimeMonths}; it must be a whole number of months from 1 to {ConsentOptions.MaxLifetimeMonths} (CNIL: a choice is kept at most 13 months).");
        }
        if (options.RetentionYears is < 1 or > ConsentOptions.MaxRetentionYears)
        {
            failures.Add($"Consent:RetentionYears is {options.RetentionYears}; it must be a whole number of years from 1 to {ConsentOptions.MaxRetentionYears}: after it, the visitor ids of older records are erased.");
        }
        foreach (var (site, origin) in options.Sites)
        {
            if (site.Length is 0 or > ConsentOptions.MaxSiteId || !site.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                failures.Add($"Consent:Sites has the site id \"{site}\"; a site id is 1 to {ConsentOptions.MaxSiteId} lower-case letters, digits or dashes, such as \"docs\".");
            }
            if (!IsOrigin(origin))
            {
                failures.Add($"Consent:Sites:{site} is \"{origin}\"; it must be the site's origin: scheme, host and port only, such as \"https://docs.example.org\" (no path, no trailing slash).");
            }
        }
        if (!string.IsNullOrEmpty(options.PolicyUrl) && !(Uri.TryCreate(options.PolicyUrl, UriKind.Absolute, out var policy) && policy.Scheme is "http" or "https"))
        {
            failures.Add($"Consent:PolicyUrl is \"{options.PolicyUrl}\"; it must be the absolute http(s) address of the cookie policy, such as \"https://www.example.org/cookies\", or empty for the center's own page.");
        }
        if (!string.IsNullOrEmpty(options.PublicUrl) && !(Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var center) && center.Scheme is "http" or "https"
            && center.PathAndQuery == "/" && string.IsNullOrEmpty(center.Fragment)))
        {
            failures.Add($"Consent:PublicUrl is \"{options.PublicUrl}\"; it must be the center's public address: http(s), the host and an optional port, such as \"https://consent.example.org\" (no path), or empty for the address the app listens on.");
        }
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }

    /// <summary>An origin as browsers send it in the Origin header: http(s), a host, an optional port, nothing after.</summary>
    private static bool IsOrigin(string? origin) =>
        Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
        && string.Equals(uri.GetLeftPart(UriPartial.Authority), origin, StringComparison.OrdinalIgnoreCase);
}
