using Consent.App.RateLimits;
using Consent.Core.Log;
using Consent.Core.PrivacyTeam;

namespace Consent.App.Endpoints;

/// <summary><c>GET /admin/export/checkpoints.json</c>: the log's signed checkpoints for the team, oldest first (the Log integrity page's download).</summary>
public static class LogCheckpointEndpoints
{
    public const string ExportPath = "/admin/export/checkpoints.json";

    public static IEndpointRouteBuilder MapLogCheckpointExport(this IEndpointRouteBuilder app)
    {
        // A link the browser follows: without a session it goes to the sign-in page like every /admin page.
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Read).AllowCookieRedirect().RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    public static async Task<IResult> ExportAsync(HttpContext http, LogCheckpointHistory history, CancellationToken ct)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"log-checkpoints.json\"";
        http.Response.Headers.CacheControl = "no-store";
        await history.WriteJsonAsync(http.Response.Body, ct);
        return Results.Empty;
    }
}
