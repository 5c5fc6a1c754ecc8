using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consent.App.Endpoints;

/// <summary>
/// A visitor's rights over their consent records, proved by their signed consent cookie alone (no account): <c>GET /consent/history</c>
/// downloads every record as JSON, <c>POST /consent/erase</c> (the confirmation page's form) unlinks them from the visitor and clears the cookie.
/// Without a cookie this center signed, both answer 404 and say nothing about any visitor.
/// </summary>
public static class ConsentHistoryEndpoints
{
    public const string HistoryPath = "/consent/history";
    public const string ErasePath = "/consent/erase";
    public const string ErasedPage = "/preferences/erased";

    private const string NoHistory = "This browser holds no consent cookie of this center, so there is no consent history to give or erase.";

    public static IServiceCollection AddConsentHistory(this IServiceCollection services) => services.AddSingleton<ErasureOutcomes>();

    public static IEndpointRouteBuilder MapConsentHistory(this IEndpointRouteBuilder app)
    {
        app.MapGet(HistoryPath, DownloadAsync);
        // No antiforgery token, as the consent form: the same-origin check refuses posts from other sites.
        app.MapPost(ErasePath, EraseAsync).DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.Choices);
        return app;
    }

    public static async Task<Results<JsonHttpResult<ConsentHistoryDocument>, ProblemHttpResult, ContentHttpResult>> DownloadAsync(
        HttpContext http, VisitorRequest visitor, ConsentService consents, ConsentHistoryService history, TimeProvider time, CancellationToken ct)
    {
        if (!visitor.Origin.IsOwn) return Refused();
        if (consents.VisitorIdOf(visitor.ConsentCookie) is not { } visitorId) return TypedResults.Text(NoHistory, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var records = await history.GetHistoryAsync(visitorId, ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"consent-history.json\"";
        return TypedResults.Json(new ConsentHistoryDocument(visitorId, time.GetUtcNow().UtcDateTime, records), DownloadJson.Options);
    }

    public static async Task<Results<SeeOther, ProblemHttpResult, ContentHttpResult>> EraseAsync(
        HttpContext http, VisitorRequest visitor, ConsentService consents, ConsentHistoryService history, ErasureOutcomes outcomes, CancellationToken ct)
    {
        if (!visitor.Origin.IsOwn) return Refused();
        if (consents.VisitorIdOf(visitor.ConsentCookie) is not { } visitorId) return TypedResults.Text(NoHistory, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
        var erasure = await history.EraseAsync(visitorId, visitor.Language, visitor.BrowserFamily, ct);
        // With the attributes it was set with, or a browser would keep the one it holds.
        http.Response.Cookies.Delete(ConsentCookie.Name, ConsentFormEndpoints.ConsentCookieOptions(http.Request, DateTime.UnixEpoch));
        return new SeeOther($"{ErasedPage}?{ErasureOutcomes.Parameter}={Uri.EscapeDataString(outcomes.Protect(erasure))}");
    }

    private static ProblemHttpResult Refused() => TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Request refused",
        detail: "A consent history can be downloaded or erased only from this site's own preference center, not from another site.");
}
