using System.Globalization;
using System.Text;

namespace Consent.Core.Statistics;

/// <summary>
/// A report as CSV (RFC 4180, comma-separated, invariant culture): one row per UTC day of the range,
/// then a "Total" row, with the same columns as the dashboard. Rates are fractions (0.25 = 25 %),
/// left empty where there is nothing to divide by.
/// </summary>
public static class StatisticsCsv
{
    public static string Write(StatisticsReport report)
    {
        var csv = new StringBuilder();
        var categories = report.Totals.Categories;
        Row(csv, [
            "Day", "Banner shown", "Accept all", "Reject all", "Custom", "Withdrawals", "Decisions", "Banner decisions",
            "Ignored", "Interaction rate", "Accept-all rate",
            .. categories.SelectMany(c => new[] { $"{c.Name} granted", $"{c.Name} opt-in rate" }),
        ]);
        foreach (var day in report.Days)
        {
            Figures(csv, day.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), day.Figures);
        }
        Figures(csv, "Total", report.Totals);
        return csv.ToString();
    }

    /// <summary>A file name that says what the file holds.</summary>
    public static string FileName(StatisticsFilter filter) =>
        string.Join('_', new[]
        {
            "consent-statistics",
            filter.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            filter.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            filter.PolicyVersion is { } v ? $"v{v}" : null,
            filter.Language,
        }.OfType<string>()) + ".csv";

    private static void Figures(StringBuilder csv, string label, ConsentFigures f) =>
        Row(csv, [
            label, Number(f.BannerShown), Number(f.AcceptAll), Number(f.RejectAll), Number(f.Custom), Number(f.Withdrawals),
            Number(f.Decisions), Number(f.BannerDecisions), Number(f.Ignored), Rate(f.InteractionRate), Rate(f.AcceptAllRate),
            .. f.Categories.SelectMany(c => new[] { Number(c.Granted), Rate(c.Rate) }),
        ]);

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Rate(double? rate) => rate?.ToString("0.####", CultureInfo.InvariantCulture) ?? "";

    private static void Row(StringBuilder csv, IEnumerable<string> fields)
    {
        csv.AppendJoin(',', fields.Select(Field)).Append("\r\n");
    }

    /// <summary>
    /// Quotes a field when it needs it, and defuses text a spreadsheet would run as a formula
    /// (a category name is typed by the privacy team, but the file is opened by whoever receives it).
    /// </summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r') value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}
