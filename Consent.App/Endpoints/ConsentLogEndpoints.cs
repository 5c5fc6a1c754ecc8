using System.Globalization;
using System.Security.Claims;
using System.Text;
using Consent.App.RateLimits;
using Consent.Core.Consents;
using Consent.Core.PrivacyTeam;
using FluentValidation;

namespace Consent.App.Endpoints;

/// <summary>The consent log's CSV export for the privacy team: a date range of records, streamed.</summary>
public static partial class ConsentLogEndpoints
{
    public const string ExportPath = "/admin/export/consents.csv";

    public static IEndpointRouteBuilder MapConsentLogExport(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Read).RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    /// <summary><c>GET /admin/export/consents.csv?from=2026-11-01&amp;to=2026-11-30</c> (UTC days, both included).</summary>
    public static async Task<IResult> ExportAsync(
        string? from, string? to, HttpContext http, ConsentLog log, IValidator<ConsentLogExport> validator, ILoggerFactory loggers, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var fromDay = Day(from, "from", errors);
        var toDay = Day(to, "to", errors);
        if (errors.Count == 0)
        {
            // Checked before the first byte: once the file is streaming, a refusal can no longer be answered.
            var range = await validator.ValidateAsync(new ConsentLogExport(fromDay, toDay), ct);
            errors = range.Errors.ByField(e => e.PropertyName.ToLowerInvariant());
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "The export's date range is not valid");

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"consents-{fromDay:yyyy-MM-dd}-to-{toDay:yyyy-MM-dd}.csv\"";
        http.Response.Headers.CacheControl = "no-store";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        var records = await log.ExportCsvAsync(fromDay, toDay, http.User.Identity?.Name ?? "unknown", writer, ct);
        LogExported(loggers.CreateLogger(typeof(ConsentLogEndpoints).FullName!), http.User.FindFirstValue(ClaimTypes.NameIdentifier), fromDay, toDay, records);
        return Results.Empty;
    }

    [LoggerMessage(EventId = 3007, EventName = "ConsentLogExported", Level = LogLevel.Information,
        Message = "Team member {AccountId} exported the consent log from {From} to {To}: {Records} records")]
    private static partial void LogExported(ILogger logger, string? accountId, DateOnly from, DateOnly to, long records);

    private static DateOnly Day(string? value, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = [$"Give the {(field == "from" ? "first" : "last")} day of the range as yyyy-MM-dd."];
            return default;
        }
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day)) return day;
        errors[field] = [$"\"{value}\" is not a date: write it as yyyy-MM-dd, for example 2026-11-29."];
        return default;
    }
}
