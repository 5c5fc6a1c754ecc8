using Consent.Core.Statistics;

namespace Consent.Tests.Core;

public class StatisticsCsvTests
{
    private static readonly DateOnly Day = new(2026, 11, 29);

    private static StatisticsReport Report(params CategoryOptIn[] categories)
    {
        var figures = new ConsentFigures(10, 3, 2, 1, 0, 5, categories);
        return new StatisticsReport(new StatisticsFilter(Day, Day), figures, [new DailyFigures(Day, figures)]);
    }

    [Fact]
    public void A_category_name_with_a_comma_or_quotes_stays_one_field()
    {
        var csv = StatisticsCsv.Write(Report(new CategoryOptIn("ads", "Ads, \"personalised\"", 1, 6)));

        var header = csv.Split("\r\n")[0];
        Assert.EndsWith(",\"Ads, \"\"personalised\"\" granted\",\"Ads, \"\"personalised\"\" opt-in rate\"", header);
    }

    [Fact]
    public void A_category_name_a_spreadsheet_would_run_as_a_formula_is_written_as_text()
    {
        var csv = StatisticsCsv.Write(Report(new CategoryOptIn("x", "=HYPERLINK(\"http://evil.example\")", 1, 6)));

        Assert.DoesNotContain(",=HYPERLINK", csv);
        Assert.Contains(",\"'=HYPERLINK(\"\"http://evil.example\"\") granted\"", csv);
    }

    [Fact]
    public void Rates_are_fractions_in_the_invariant_culture_and_empty_without_a_denominator()
    {
        var csv = StatisticsCsv.Write(Report(new CategoryOptIn("analytics", "Analytics", 1, 6), new CategoryOptIn("new", "New", 0, 0)));

        var total = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.Equal("Total,10,3,2,1,0,6,5,5,0.5,0.5,1,0.1667,0,", total);
    }

    [Fact]
    public void The_file_name_says_which_days_version_and_language_it_holds()
    {
        Assert.Equal("consent-statistics_2026-11-01_2026-11-29_v2_fr.csv",
            StatisticsCsv.FileName(new StatisticsFilter(new DateOnly(2026, 11, 1), Day, 2, "fr")));
    }
}
