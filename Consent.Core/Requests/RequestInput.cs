using Consent.Core.Mail;
using FluentValidation;

namespace Consent.Core.Requests;

/// <summary>The public request form: the right exercised, who asks, what about, and optionally a consent id from a receipt.</summary>
public sealed class RequestInput
{
    /// <summary>A <see cref="RequestVocabulary"/> type name ("access", "erasure", …).</summary>
    public string? Type { get; set; }

    /// <summary>Where the code and every answer go; for a signed-in member, the account's confirmed address, set by the app.</summary>
    public string? Email { get; set; }

    public string? Name { get; set; }
    public string? Details { get; set; }

    /// <summary>A consent id as the receipt and <c>/preferences</c> show it.</summary>
    public string? ConsentId { get; set; }
}

public sealed class RequestInputValidator : AbstractValidator<RequestInput>
{
    /// <summary>A consent id longer than this is not one (36 characters, braces allowed); checked before it is parsed.</summary>
    public const int ConsentIdLength = 64;

    public RequestInputValidator()
    {
        RuleFor(x => x.Type).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => RequestTexts.Get("Form.Field.Type.Required"))
            .Must(t => RequestVocabulary.ParseType(t) is not null).WithMessage(_ => RequestTexts.Get("Form.Field.Type.Unknown"));
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => RequestTexts.Get("Form.Field.Email.Required"))
            .MaximumLength(RequestLimits.Email).WithMessage(_ => TooLong("Form.Field.Email", RequestLimits.Email))
            .EmailAddress().WithMessage(_ => RequestTexts.Get("Form.Field.Email.Invalid"))
            // What the mail service will send to (a bare address, no display name), so a request is never stored unanswerable.
            .Must(e => MailAddresses.IsValid(e!.Trim())).WithMessage(_ => RequestTexts.Get("Form.Field.Email.Invalid"));
        RuleFor(x => x.Name)
            .MaximumLength(RequestLimits.Name).WithMessage(_ => TooLong("Form.Field.Name", RequestLimits.Name));
        RuleFor(x => x.Details).Cascade(CascadeMode.Stop)
            .MaximumLength(RequestLimits.Details).WithMessage(_ => TooLong("Form.Field.Details", RequestLimits.Details))
            .NotEmpty().When(x => RequestVocabulary.ParseType(x.Type) is { } type && NeedsDetails(type))
            .WithMessage(x => RequestTexts.Get("Form.Field.Details.Required", RequestTexts.Get($"Form.Type.{RequestVocabulary.Name(RequestVocabulary.ParseType(x.Type)!.Value)}")));
        RuleFor(x => x.ConsentId).Cascade(CascadeMode.Stop)
            .MaximumLength(ConsentIdLength).WithMessage(_ => RequestTexts.Get("Form.Field.ConsentId.Invalid"))
            .Must(id => string.IsNullOrWhiteSpace(id) || Guid.TryParse(id.Trim(), out _)).WithMessage(_ => RequestTexts.Get("Form.Field.ConsentId.Invalid"));
    }

    /// <summary>
    /// The types the DPO cannot act on without being told what: what to correct, which decision to review, the directive, what else.
    /// The others name their object (the center's data about this person).
    /// </summary>
    public static bool NeedsDetails(RequestType type) =>
        type is RequestType.Rectification or RequestType.AutomatedDecision or RequestType.DeathDirective or RequestType.Other;

    private static string TooLong(string field, int max) => RequestTexts.Get("Form.Field.TooLong", RequestTexts.Get(field), max);
}
