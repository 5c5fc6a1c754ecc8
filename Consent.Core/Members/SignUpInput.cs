using FluentValidation;

namespace Consent.Core.Members;

/// <summary>The sign-up form: username, e-mail and password are mandatory, the professional fields optional (the seed).</summary>
public sealed class SignUpInput : ProfileInput
{
    public string? Email { get; set; }
    public string? Password { get; set; }
}

public sealed class SignUpInputValidator : AbstractValidator<SignUpInput>
{
    public SignUpInputValidator()
    {
        Include(new ProfileInputValidator());
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Email.Required"))
            .MaximumLength(MemberLimits.Email).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Email"), MemberLimits.Email))
            .EmailAddress().WithMessage(_ => MemberTexts.Get("Field.Email.Invalid"));
        RuleFor(x => x.Password).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Password.Required"))
            .MinimumLength(MemberPasswords.MinLength).WithMessage(_ => MemberTexts.Get("Field.Password.Length", MemberPasswords.MinLength))
            .MaximumLength(MemberLimits.Password).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Password"), MemberLimits.Password));
    }
}
