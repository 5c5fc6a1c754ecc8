using Consent.Core.ConsentMode;
using FluentValidation;

namespace Consent.Core.Policies;

/// <summary>
/// The center's consent periods, one row edited by Admins at /admin/settings. Created on first
/// start from configuration (<see cref="ConsentOptions"/>).
/// </summary>
public sealed class ConsentSettings
{
    /// <summary>The only row's key: there is one set of settings.</summary>
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    /// <summary>How many months a decision that allows something holds before the banner asks again.</summary>
    public int LifetimeMonths { get; set; }

    /// <summary>How many months a refusal of every optional category holds before the banner asks again.</summary>
    public int RefusalLifetimeMonths { get; set; }

    /// <summary>How the pages drive Google's tags; basic unless an Admin chose otherwise.</summary>
    public GoogleConsentMode GoogleConsentMode { get; set; } = GoogleConsentMode.Basic;

    public DateTime UpdatedAt { get; set; }

    /// <summary>The Admin's email, or "system" for the values taken from configuration.</summary>
    public string UpdatedBy { get; set; } = "system";
}

/// <summary>The periods in force, as the consent service applies them.</summary>
public sealed record ConsentPeriods(int LifetimeMonths, int RefusalLifetimeMonths)
{
    /// <summary>The longest a consent cookie can live: what its declaration in the catalogue must say.</summary>
    public int MaxMonths => Math.Max(LifetimeMonths, RefusalLifetimeMonths);

    /// <summary>When a decision recorded at <paramref name="recordedAt"/> stops holding.</summary>
    public DateTime ExpiresAt(DateTime recordedAt, bool refusesEverythingOptional) =>
        recordedAt.AddMonths(refusesEverythingOptional ? RefusalLifetimeMonths : LifetimeMonths);
}

/// <summary>What an Admin submits on the settings page.</summary>
public sealed class ConsentSettingsInput
{
    public int LifetimeMonths { get; set; }
    public int RefusalLifetimeMonths { get; set; }

    /// <summary>The Admin confirms a re-ask interval shorter than CNIL recommends.</summary>
    public bool ConfirmShortRefusal { get; set; }
}

/// <summary>
/// CNIL guidance: a choice is kept at most 13 months (an error above), and a refusal should hold at
/// least 6 months (a warning below, which the Admin must confirm to save).
/// </summary>
public sealed class ConsentSettingsInputValidator : AbstractValidator<ConsentSettingsInput>
{
    public const string ShortRefusalWarning = "CNIL recommends not asking again for at least 6 months after a refusal.";

    public ConsentSettingsInputValidator()
    {
        RuleFor(s => s.LifetimeMonths)
            .GreaterThanOrEqualTo(ConsentOptions.MinMonths)
                .WithMessage("A consent must hold for at least 1 month.")
            .LessThanOrEqualTo(ConsentOptions.MaxLifetimeMonths)
                .WithMessage($"CNIL allows keeping a consent for at most {ConsentOptions.MaxLifetimeMonths} months; choose 13 or fewer.");

        RuleFor(s => s.RefusalLifetimeMonths)
            .GreaterThanOrEqualTo(ConsentOptions.MinMonths)
                .WithMessage("A refusal must hold for at least 1 month before the banner asks again.")
            .LessThanOrEqualTo(ConsentOptions.MaxLifetimeMonths)
                .WithMessage($"A refusal is kept at most {ConsentOptions.MaxLifetimeMonths} months, like a consent; choose 13 or fewer.");

        RuleFor(s => s.RefusalLifetimeMonths)
            .GreaterThanOrEqualTo(ConsentOptions.RecommendedMinRefusalMonths)
            .When(s => s.RefusalLifetimeMonths >= ConsentOptions.MinMonths)
            .WithMessage(ShortRefusalWarning)
            .WithSeverity(Severity.Warning);

        RuleFor(s => s.ConfirmShortRefusal)
            .Equal(true)
            .When(s => s.RefusalLifetimeMonths is >= ConsentOptions.MinMonths and < ConsentOptions.RecommendedMinRefusalMonths)
            .WithMessage("Confirm that visitors who refused are asked again sooner than CNIL recommends.");
    }
}
