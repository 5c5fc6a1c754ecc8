using System.Globalization;
using System.Security.Claims;
using System.Text;
using Consent.App.RateLimits;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;

namespace Consent.App.Endpoints;

/// <summary><c>GET /admin/export/requests.csv</c>: the rights requests' register for an authority's inspection; the DPO and Admins, audited.</summary>
public static partial class RequestRegisterEndpoints
{
    public const string ExportPath = "/admin/export/requests.csv";

    public static IEndpointRouteBuilder MapRequestRegisterExport(this IEndpointRouteBuilder app)
    {
        // A link the browser follows: without a session it goes to the sign-in page like every /admin page.
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Requests).AllowCookieRedirect().RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    /// <summary>Named after the controller's day, the day the register's deadlines are counted in.</summary>
    public static string FileName(DateOnly today) => string.Create(CultureInfo.InvariantCulture, $"requests-register-{today:yyyy-MM-dd}.csv");

    public static async Task<IResult> ExportAsync(HttpContext http, RequestRegister register, RequestDeadlines deadlines, ILoggerFactory loggers, CancellationToken ct)
    {
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(deadlines.Today)}\"";
        http.Response.Headers.CacheControl = "no-store";
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        var rows = await register.ExportCsvAsync(writer, http.User.Identity?.Name ?? "unknown", ct);
        LogExported(loggers.CreateLogger(typeof(RequestRegisterEndpoints).FullName!), http.User.FindFirstValue(ClaimTypes.NameIdentifier), rows);
        return Results.Empty;
    }

    [LoggerMessage(EventId = 3030, EventName = "RequestRegisterExported", Level = LogLevel.Information,
        Message = "Team member {AccountId} exported the rights requests' register: {Requests} requests")]
    private static partial void LogExported(ILogger logger, string? accountId, int requests);
}
