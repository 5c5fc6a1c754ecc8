using FluentValidation;

namespace Consent.Core.Requests;

/// <summary>The e-mail check: the request's reference and the code the mail gave.</summary>
public sealed class VerificationInput
{
    public string? Reference { get; set; }
    public string? Code { get; set; }
}

public sealed class VerificationInputValidator : AbstractValidator<VerificationInput>
{
    public VerificationInputValidator()
    {
        RuleFor(x => x.Reference).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => RequestTexts.Get("Verify.Field.Reference.Required"))
            .MaximumLength(RequestLimits.Reference).WithMessage(_ => RequestTexts.Get("Verify.Field.Reference.Invalid"));
        RuleFor(x => x.Code).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage(_ => RequestTexts.Get("Verify.Field.Code.Required"))
            .Must(c => c!.Trim().Length == RequestLimits.CodeLength && c.Trim().All(char.IsAsciiDigit))
            .WithMessage(_ => RequestTexts.Get("Verify.Field.Code.Invalid", RequestLimits.CodeLength));
    }
}
