using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Consent.Core.Log.Receipts;
using Consent.Core.Policies;
using Microsoft.Extensions.Options;

namespace Consent.App.Endpoints;

/// <summary>
/// The visitor's consent receipt: <c>GET /api/v1/consents/current/receipt</c> for embedding sites, and the preference center's
/// "Download my receipt" link, the same receipt as a file. Both read the decision in force from the consent cookie.
/// </summary>
public static class ReceiptEndpoints
{
    public const string DownloadPath = "/preferences/receipt";

    public static IEndpointRouteBuilder MapReceiptDownload(this IEndpointRouteBuilder app)
    {
        app.MapGet(DownloadPath, DownloadAsync).RequireRateLimiting(RateLimitPolicies.Choices);
        return app;
    }

    public static Task<IResult> GetCurrentReceiptAsync(
        HttpContext http, VisitorRequest visitor, ConsentCookie cookie, ReceiptService receipts, IOptions<ConsentOptions> options, CancellationToken ct) =>
        ReceiptAsync(http, visitor, cookie, receipts, options.Value, attachment: false, ct);

    public static Task<IResult> DownloadAsync(
        HttpContext http, VisitorRequest visitor, ConsentCookie cookie, ReceiptService receipts, IOptions<ConsentOptions> options, CancellationToken ct) =>
        ReceiptAsync(http, visitor, cookie, receipts, options.Value, attachment: true, ct);

    private static async Task<IResult> ReceiptAsync(
        HttpContext http, VisitorRequest visitor, ConsentCookie cookie, ReceiptService receipts, ConsentOptions options, bool attachment, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        // The decision in force is the one the banner would not ask again; its record is the one the cookie names.
        var state = visitor.Consent.HasDecision ? cookie.TryDecode(visitor.ConsentCookie) : null;
        var receipt = state is null ? null
            : await receipts.IssueAsync(state.ConsentId, state.VisitorId, PostOrigin.PolicyUrl(http.Request, options), ct);
        if (receipt is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No decision in force",
                detail: "There is no cookie decision in force for this browser, so there is no receipt: make a choice first (the consent cookie proves it).");
        }
        if (attachment) http.Response.Headers.ContentDisposition = $"attachment; filename=\"consent-receipt-{receipt.ConsentId:D}.json\"";
        return TypedResults.Bytes(ReceiptJson.ToUtf8(receipt), ReceiptJson.ContentType);
    }
}
