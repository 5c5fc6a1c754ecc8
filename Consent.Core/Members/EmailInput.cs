using FluentValidation;

namespace Consent.Core.Members;

/// <summary>One e-mail address: a forgotten password, a new confirmation link, or the member's new address.</summary>
public sealed class EmailInput
{
    public string? Email { get; set; }
}

public sealed class EmailInputValidator : AbstractValidator<EmailInput>
{
    public EmailInputValidator()
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Email.Required"))
            .MaximumLength(MemberLimits.Email).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Email"), MemberLimits.Email))
            .EmailAddress().WithMessage(_ => MemberTexts.Get("Field.Email.Invalid"));
    }
}
