namespace Consent.Core.Statistics;

/// <summary>
/// The figures of a period, defined as consent platforms define them so that they can be compared:
/// <list type="bullet">
/// <item><b>Banner shown</b>: times the banner was shown to a visitor without a valid decision.</item>
/// <item><b>Decisions</b>: every recorded choice (accept all, reject all, custom, withdrawal), wherever it was made.</item>
/// <item><b>Banner decisions</b>: the decisions made on the banner itself; only these answer a banner view.</item>
/// <item><b>Ignored</b>: banner shown − banner decisions, never below 0.</item>
/// <item><b>Interaction rate</b>: banner decisions ÷ banner shown, at most 100 %.</item>
/// <item><b>Accept-all rate</b>: accept all ÷ decisions; <b>opt-in rate</b> of a category: granted ÷ decisions that answered it.</item>
/// </list>
/// A rate is null when its denominator is 0: "no data" is not "0 %".
/// </summary>
public sealed record ConsentFigures(
    long BannerShown,
    long AcceptAll,
    long RejectAll,
    long Custom,
    long Withdrawals,
    long BannerDecisions,
    IReadOnlyList<CategoryOptIn> Categories)
{
    public long Decisions => AcceptAll + RejectAll + Custom + Withdrawals;

    public long Ignored => Math.Max(0, BannerShown - BannerDecisions);

    /// <summary>Capped at 1: views counted in memory and lost in a crash must not make the rate exceed 100 %.</summary>
    public double? InteractionRate => BannerShown == 0 ? null : Math.Min(1, (double)BannerDecisions / BannerShown);

    public double? AcceptAllRate => Decisions == 0 ? null : (double)AcceptAll / Decisions;
}

/// <summary>One optional category's answers in a period.</summary>
public sealed record CategoryOptIn(string Key, string Name, long Granted, long Decisions)
{
    public double? Rate => Decisions == 0 ? null : (double)Granted / Decisions;
}

/// <summary>The figures of one UTC day.</summary>
public sealed record DailyFigures(DateOnly Day, ConsentFigures Figures);

/// <summary>The statistics of a filter: totals, and one entry per day of the range (days without activity included, as zeros).</summary>
public sealed record StatisticsReport(StatisticsFilter Filter, ConsentFigures Totals, IReadOnlyList<DailyFigures> Days);

/// <summary>What the filters can offer: the published policy versions (newest first) and the languages seen or offered.</summary>
public sealed record StatisticsChoices(IReadOnlyList<int> PolicyVersions, IReadOnlyList<string> Languages);
