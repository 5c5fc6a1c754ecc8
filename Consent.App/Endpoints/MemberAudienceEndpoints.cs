using System.Globalization;
using System.Security.Claims;
using System.Text;
using Consent.App.RateLimits;
using Consent.Core.Members;
using Consent.Core.PrivacyTeam;
using Microsoft.AspNetCore.Http.Extensions;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>GET /admin/export/audience.csv?purpose=newsletter</c>: the members an e-mail of one purpose may be sent to now, for the
/// mailing tool, each with their one-click unsubscribe link. Admins only: it is a list of e-mail addresses.
/// </summary>
public static partial class MemberAudienceEndpoints
{
    public const string ExportPath = "/admin/export/audience.csv";

    public static IEndpointRouteBuilder MapMemberAudienceExport(this IEndpointRouteBuilder app)
    {
        // A link the browser follows: without a session it goes to the sign-in page like every /admin page.
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Manage).AllowCookieRedirect().RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    /// <summary>The export's address for one purpose: the members page's download link.</summary>
    public static string ExportUrl(string purpose) => $"{ExportPath}?purpose={Uri.EscapeDataString(purpose)}";

    public static string FileName(string purpose, DateTime now) =>
        string.Create(CultureInfo.InvariantCulture, $"audience-{purpose}-{now:yyyy-MM-dd}.csv");

    public static async Task<IResult> ExportAsync(string? purpose, HttpContext http, MemberDirectory directory, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        if (!CommunicationPurposes.IsKnown(purpose))
        {
            var shown = purpose is null ? "" : $"\"{(purpose.Length > 40 ? purpose[..40] + "…" : purpose)}\" is not a purpose. ";
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["purpose"] = [$"{shown}Choose one of: {string.Join(", ", CommunicationPurposes.All)}."] },
                title: "The audience's purpose is not valid");
        }

        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"{FileName(purpose!, time.GetUtcNow().UtcDateTime)}\"";
        http.Response.Headers.CacheControl = "no-store";
        // The links point at this center as the team reaches it: the host is one AllowedHosts accepts.
        var baseUri = new Uri(UriHelper.BuildAbsolute(http.Request.Scheme, http.Request.Host, http.Request.PathBase, "/"));
        await using var writer = new StreamWriter(http.Response.Body, new UTF8Encoding(false), bufferSize: 16 * 1024);
        var rows = await directory.ExportAudienceCsvAsync(purpose!, baseUri, http.User.Identity?.Name ?? "unknown", writer, ct);
        LogExported(loggers.CreateLogger(typeof(MemberAudienceEndpoints).FullName!), http.User.FindFirstValue(ClaimTypes.NameIdentifier), purpose!, rows);
        return Results.Empty;
    }

    [LoggerMessage(EventId = 3020, EventName = "MemberAudienceExported", Level = LogLevel.Information,
        Message = "Team member {AccountId} exported the audience of {Purpose}: {Members} members")]
    private static partial void LogExported(ILogger logger, string? accountId, string purpose, int members);
}
