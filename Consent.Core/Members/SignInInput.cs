using FluentValidation;

namespace Consent.Core.Members;

/// <summary>The members' sign-in form: the e-mail address or the username, and the password.</summary>
public sealed class SignInInput
{
    public string? Login { get; set; }
    public string? Password { get; set; }
}

public sealed class SignInInputValidator : AbstractValidator<SignInInput>
{
    public SignInInputValidator()
    {
        RuleFor(x => x.Login).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Login.Required"))
            .MaximumLength(MemberLimits.Email).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Login"), MemberLimits.Email));
        RuleFor(x => x.Password).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Password.Required"))
            .MaximumLength(MemberLimits.Password).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Password"), MemberLimits.Password));
    }
}
