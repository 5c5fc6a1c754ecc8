using FluentValidation;

namespace Consent.Core.Mail;

/// <summary>What every mail needs before it leaves: one valid recipient, a one-line subject, a text, and unsubscribe for marketing.</summary>
public sealed class OutgoingMailValidator : AbstractValidator<OutgoingMail>
{
    public const int MaxSubjectLength = 250;
    public const int MaxNameLength = 200;

    /// <summary>A mail of the center is a few kilobytes; a megabyte of text is a mistake.</summary>
    public const int MaxBodyLength = 1024 * 1024;

    public OutgoingMailValidator()
    {
        RuleFor(m => m.To).Must(MailAddresses.IsValid)
            .WithMessage(m => $"\"{m.To}\" is not one e-mail address such as name@example.org.");
        RuleFor(m => m.ToName).MaximumLength(MaxNameLength).Must(MailAddresses.IsOneLine)
            .WithMessage("The recipient's name must be one line.");
        RuleFor(m => m.Subject).NotEmpty().WithMessage("A mail needs a subject.")
            .MaximumLength(MaxSubjectLength)
            .Must(MailAddresses.IsOneLine).WithMessage("The subject must be one line.");
        RuleFor(m => m.Text).NotEmpty().WithMessage("A mail needs a plain-text body.").MaximumLength(MaxBodyLength);
        RuleFor(m => m.Html).MaximumLength(MaxBodyLength);
        RuleFor(m => m.Category).IsInEnum();
        RuleFor(m => m.Unsubscribe)
            .Must(u => u is null || (u.IsAbsoluteUri && u.Scheme is "http" or "https"))
            .WithMessage("The unsubscribe address must be an absolute http(s) URL.");
        RuleFor(m => m.Unsubscribe).NotNull().When(m => m.Category == MailCategory.Marketing)
            .WithMessage("A marketing mail must carry a one-click unsubscribe address (RFC 8058); it is not sent without one.");
    }
}
