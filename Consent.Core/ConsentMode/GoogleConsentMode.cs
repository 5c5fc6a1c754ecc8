using FluentValidation;

namespace Consent.Core.ConsentMode;

/// <summary>
/// How the center drives Google's tags (Consent Mode v2). Stored by name in the settings row.
/// </summary>
public enum GoogleConsentMode
{
    /// <summary>The pages emit nothing for Google: the site uses no Google tag.</summary>
    Off,

    /// <summary>Google's tags load only after consent (gated by ConsentGate or data-consent-category); before that Google receives nothing.</summary>
    Basic,

    /// <summary>Google's tags load at once with every type denied and send cookieless pings until the visitor consents.</summary>
    Advanced,
}

/// <summary>What an Admin submits to change the mode on the settings page.</summary>
public sealed class GoogleConsentModeInput
{
    public GoogleConsentMode Mode { get; set; }
}

public sealed class GoogleConsentModeInputValidator : AbstractValidator<GoogleConsentModeInput>
{
    public GoogleConsentModeInputValidator()
    {
        RuleFor(i => i.Mode).IsInEnum().WithMessage("Choose off, basic or advanced for Google Consent Mode.");
    }
}
