using System.Globalization;
using System.Security.Claims;
using System.Text;
using Consent.App.RateLimits;
using Consent.Core.PrivacyTeam;
using Consent.Core.Statistics;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>GET /admin/export/statistics.csv?from=&amp;to=&amp;version=&amp;language=</c>: the dashboard's figures for a
/// filter, as a spreadsheet. Dates are UTC days (yyyy-MM-dd), both included; without them, the last 30 days.
/// </summary>
public static partial class StatisticsEndpoints
{
    public const string ExportPath = "/admin/export/statistics.csv";

    public static IEndpointRouteBuilder MapStatisticsExport(this IEndpointRouteBuilder app)
    {
        // A link the browser follows, not an API: without a session it goes to the sign-in page like every /admin page
        // (typed results would otherwise make .NET 10 answer a bare 401).
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Read).AllowCookieRedirect().RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    /// <summary>The export's address for a filter: the dashboard's download link.</summary>
    public static string ExportUrl(StatisticsFilter filter)
    {
        var query = new Dictionary<string, string?>
        {
            ["from"] = filter.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["to"] = filter.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        };
        if (filter.PolicyVersion is { } version) query["version"] = version.ToString(CultureInfo.InvariantCulture);
        if (filter.Language is { } language) query["language"] = language;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(ExportPath, query);
    }

    public static async Task<Results<FileContentHttpResult, ValidationProblem>> ExportAsync(
        string? from, string? to, string? version, string? language, HttpContext http, StatisticsService statistics, TimeProvider time,
        ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fallback = StatisticsFilter.LastDays(30, time);
        var fromDay = ParseDay(from, fallback.From, "from", errors);
        var toDay = ParseDay(to, fallback.To, "to", errors);
        int? policyVersion = null;
        if (!string.IsNullOrEmpty(version))
        {
            if (int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number)) policyVersion = number;
            else errors["version"] = ["The policy version must be a number, such as 1."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "These statistics could not be exported");

        var filter = new StatisticsFilter(fromDay, toDay, policyVersion, string.IsNullOrEmpty(language) ? null : language.ToLowerInvariant());
        try
        {
            var report = await statistics.ExportAsync(filter, http.User.Identity?.Name ?? "unknown", ct);
            LogExported(loggers.CreateLogger(typeof(StatisticsEndpoints).FullName!), http.User.FindFirstValue(ClaimTypes.NameIdentifier), filter.From, filter.To);
            // With a byte order mark, so that spreadsheet programs read category names in UTF-8.
            http.Response.Headers.CacheControl = "no-store";
            var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(StatisticsCsv.Write(report))).ToArray();
            return TypedResults.File(bytes, "text/csv; charset=utf-8", StatisticsCsv.FileName(filter));
        }
        catch (ValidationException ex)
        {
            return TypedResults.ValidationProblem(
                ex.ByField(e => QueryName(e.PropertyName)),
                title: "These statistics could not be exported");
        }
    }

    private static DateOnly ParseDay(string? value, DateOnly fallback, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrEmpty(value)) return fallback;
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[name] = [$"\"{value}\" is not a date; write it as year-month-day, such as 2026-11-29."];
        return fallback;
    }

    [LoggerMessage(EventId = 3008, EventName = "StatisticsExported", Level = LogLevel.Information,
        Message = "Team member {AccountId} exported the statistics from {From} to {To}")]
    private static partial void LogExported(ILogger logger, string? accountId, DateOnly from, DateOnly to);

    /// <summary>The query parameter a validation message is about.</summary>
    private static string QueryName(string propertyName) => propertyName switch
    {
        nameof(StatisticsFilter.From) => "from",
        nameof(StatisticsFilter.To) => "to",
        nameof(StatisticsFilter.PolicyVersion) => "version",
        nameof(StatisticsFilter.Language) => "language",
        _ => propertyName,
    };
}
