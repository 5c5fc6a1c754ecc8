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
        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
