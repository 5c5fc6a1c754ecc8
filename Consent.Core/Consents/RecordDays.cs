using System.Globalization;
using FluentValidation;

namespace Consent.Core.Consents;

/// <summary>
/// The UTC days a report or export of the log may name. No record predates 2000, and the day after 9999-12-31
/// (the end of a range is read up to the next midnight) does not exist.
/// </summary>
public static class RecordDays
{
    public static readonly DateOnly First = new(2000, 1, 1);
    public static readonly DateOnly Last = new(9998, 12, 31);

    /// <summary>Refuses a day outside <see cref="First"/>..<see cref="Last"/>, naming the field as <paramref name="label"/> ("The first day").</summary>
    public static IRuleBuilderOptions<T, DateOnly> WithinRecordDays<T>(this IRuleBuilder<T, DateOnly> rule, string label) =>
        rule.InclusiveBetween(First, Last)
            .WithMessage(string.Create(CultureInfo.InvariantCulture, $"{label} must be between {First:yyyy-MM-dd} and {Last:yyyy-MM-dd}."));
}
