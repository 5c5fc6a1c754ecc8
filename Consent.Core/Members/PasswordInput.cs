using FluentValidation;

namespace Consent.Core.Members;

/// <summary>A new password (after a reset link), and the current one when a signed-in member changes it.</summary>
public sealed class PasswordInput
{
    public string? CurrentPassword { get; set; }
    public string? Password { get; set; }
}

/// <summary>Checks the new password's length; whether the current one is right is for <see cref="MemberAccounts"/> to say.</summary>
public sealed class PasswordInputValidator : AbstractValidator<PasswordInput>
{
    public PasswordInputValidator()
    {
        RuleFor(x => x.CurrentPassword)
            .MaximumLength(MemberLimits.Password).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.CurrentPassword"), MemberLimits.Password));
        RuleFor(x => x.Password).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => MemberTexts.Get("Field.Password.Required"))
            .MinimumLength(MemberPasswords.MinLength).WithMessage(_ => MemberTexts.Get("Field.Password.Length", MemberPasswords.MinLength))
            .MaximumLength(MemberLimits.Password).WithMessage(_ => MemberTexts.Get("Field.TooLong", MemberTexts.Get("Field.Password"), MemberLimits.Password));
    }
}
