using FluentValidation;

namespace Consent.Core.Consents;

/// <summary>The UTC days <see cref="From"/> to <see cref="To"/> (both included) of a CSV export of the consent log.</summary>
public sealed record ConsentLogExport(DateOnly From, DateOnly To);

public sealed class ConsentLogExportValidator : AbstractValidator<ConsentLogExport>
{
    public ConsentLogExportValidator()
    {
        RuleFor(e => e.From).WithinRecordDays("The first day");
        RuleFor(e => e.To).WithinRecordDays("The last day");
        RuleFor(e => e.To)
            .GreaterThanOrEqualTo(e => e.From).WithMessage("The last day comes before the first day.");
    }
}
