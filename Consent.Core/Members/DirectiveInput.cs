using FluentValidation;

namespace Consent.Core.Members;

/// <summary>A member's directive for after their death: delete, keep, or pass to a named trusted person.</summary>
public sealed class DirectiveInput
{
    public DeathDirective? Directive { get; set; }
    public string? TrustedPersonName { get; set; }
    public string? TrustedPersonContact { get; set; }
}

public sealed class DirectiveInputValidator : AbstractValidator<DirectiveInput>
{
    public DirectiveInputValidator()
    {
        RuleFor(x => x.Directive).Cascade(CascadeMode.Stop)
            .NotNull().WithMessage(_ => MemberTexts.Get("Field.Directive.Required"))
            .IsInEnum().WithMessage(_ => MemberTexts.Get("Field.Directive.Required"));
        When(x => x.Directive == DeathDirective.PassToTrustedPerson, () =>
        {
            RuleFor(x => x.TrustedPersonName).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.TrustedPersonName.Required"))
                .MaximumLength(MemberLimits.Field).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.TrustedPersonName"), MemberLimits.Field));
            RuleFor(x => x.TrustedPersonContact).Cascade(CascadeMode.Stop)
                .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.TrustedPersonContact.Invalid"))
                .MaximumLength(MemberLimits.Email).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.TrustedPersonContact"), MemberLimits.Email))
                .EmailAddress().WithMessage(_ => MemberTexts.Get("Field.TrustedPersonContact.Invalid"));
        });
    }
}
