using Microsoft.Extensions.Options;

namespace Consent.Core.Policies;

/// <summary>Settings of section "Consent" in configuration.</summary>
public sealed class ConsentOptions
{
    /// <summary>CNIL: a decision is kept at most 13 months; 6 is the usual default.</summary>
    public const int MaxLifetimeMonths = 13;

    /// <summary>How many months a decision stays valid before the banner asks again (1 to 13).</summary>
    public int LifetimeMonths { get; set; } = 6;

}

/// <summary>Refuses to start the center with a consent lifetime CNIL would not accept, saying which value is wrong.</summary>
public sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options) =>
        options.LifetimeMonths is < 1 or > ConsentOptions.MaxLifetimeMonths
            ? ValidateOptionsResult.Fail($"Consent:LifetimeMonths is {options.LifetimeMonths}; it must be a whole number of months from 1 to {ConsentOptions.MaxLifetimeMonths} (CNIL: consent is kept at most 13 months).")
            : ValidateOptionsResult.Success;
}
