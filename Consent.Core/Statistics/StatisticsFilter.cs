using Consent.Core.Consents;
using FluentValidation;

namespace Consent.Core.Statistics;

/// <summary>
/// Which statistics to show: UTC days <see cref="From"/> to <see cref="To"/>, both included,
/// optionally one policy version and one language.
/// </summary>
public sealed record StatisticsFilter(DateOnly From, DateOnly To, int? PolicyVersion = null, string? Language = null)
{
    /// <summary>The last <paramref name="days"/> UTC days up to and including today: the dashboard's presets (1, 7, 30, 90).</summary>
    public static StatisticsFilter LastDays(int days, TimeProvider time)
    {
        var today = RollupWrites.DayOf(time.GetUtcNow().UtcDateTime);
        return new StatisticsFilter(today.AddDays(1 - days), today);
    }

    /// <summary>Every day of the range, in order.</summary>
    public IEnumerable<DateOnly> Days() =>
        Enumerable.Range(0, To.DayNumber - From.DayNumber + 1).Select(From.AddDays);
}

public sealed class StatisticsFilterValidator : AbstractValidator<StatisticsFilter>
{
    /// <summary>Longest range, in days: two years of daily figures still fit a chart and a spreadsheet.</summary>
    public const int MaxDays = 731;

    public StatisticsFilterValidator()
    {
        RuleFor(f => f.From).WithinRecordDays("The start date");
        RuleFor(f => f.To).WithinRecordDays("The end date");
        RuleFor(f => f.To)
            .GreaterThanOrEqualTo(f => f.From).WithMessage("The end date must be on or after the start date.");
        RuleFor(f => f.To)
            .Must((f, to) => to.DayNumber - f.From.DayNumber < MaxDays)
            .When(f => f.To >= f.From)
            .WithMessage($"Choose at most {MaxDays} days (two years) at a time.");
        RuleFor(f => f.PolicyVersion)
            .GreaterThanOrEqualTo(1).WithMessage("A policy version is a number from 1 up.");
        RuleFor(f => f.Language)
            .Matches("^[a-z]{2,3}$").WithMessage("A language is a two- or three-letter code such as \"en\" or \"fr\".");
    }
}
