using System.Text;
using Consent.App.Members;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Consent.Core.Log.Receipts;
using Consent.Core.Members;
using Consent.Core.Policies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Consent.App.Endpoints;

/// <summary>
/// A member's download of their data (<c>GET /members/export</c>, signed in) and the one-click unsubscribe link of every e-mail
/// (RFC 8058: a POST unsubscribes without signing in; a GET only opens the page that asks).
/// </summary>
public static class MemberPrivacyEndpoints
{
    public const string ExportPath = "/members/export";
    public const string ReceiptPath = "/members/receipt";

    /// <summary>RFC 8058's body is exactly <c>List-Unsubscribe=One-Click</c>; anything much longer is not a mail client's.</summary>
    private const int MaxUnsubscribeBody = 256;

    public static IEndpointRouteBuilder MapMemberPrivacy(this IEndpointRouteBuilder app)
    {
        app.MapGet(ExportPath, ExportAsync);
        app.MapGet(ReceiptPath, ReceiptAsync).RequireRateLimiting(RateLimitPolicies.Choices);
        app.MapGet(UnsubscribeLinks.Path, (string? token) => TypedResults.Redirect($"{UnsubscribeLinks.PagePath}?token={Uri.EscapeDataString(token ?? "")}"));
        // No antiforgery token: a mail client posts it, and the token in the address is the proof.
        app.MapPost(UnsubscribeLinks.Path, UnsubscribeAsync).DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.Choices);
        return app;
    }

    public static async Task<Results<JsonHttpResult<MemberExport>, RedirectHttpResult>> ExportAsync(HttpContext http, MemberSession session, MemberService members, CancellationToken ct)
    {
        if (await session.GetAsync() is not { } member) return TypedResults.Redirect($"{MemberAuthentication.SignInPath}?returnUrl={Uri.EscapeDataString(ExportPath)}");
        var export = await members.ExportAsync(member.Id, MemberService.MemberActor, ct);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"my-data.json\"";
        return TypedResults.Json(export, DownloadJson.Options);
    }

    /// <summary>
    /// The receipt of the member's e-mail choices in force: the same receipt, with the same proof from the log, as a cookie choice's
    /// (docs/log.md), for their newest communication record.
    /// </summary>
    public static async Task<IResult> ReceiptAsync(HttpContext http, MemberSession session, CommunicationPreferences communications, ReceiptService receipts,
        IOptions<ConsentOptions> options, CancellationToken ct)
    {
        if (await session.GetAsync() is not { } member) return TypedResults.Redirect($"{MemberAuthentication.SignInPath}?returnUrl={Uri.EscapeDataString(ReceiptPath)}");
        http.Response.Headers.CacheControl = "no-store";
        var state = await communications.GetAsync(member, ct);
        var receipt = state.ConsentId is { } id ? await receipts.IssueAsync(id, member.SubjectId, PostOrigin.PolicyUrl(http.Request, options.Value), ct) : null;
        if (receipt is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "No e-mail choice yet",
                detail: "You have made no e-mail choice yet, so there is no receipt: save your e-mail choices first.");
        }
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"email-consent-receipt-{receipt.ConsentId:D}.json\"";
        return TypedResults.Bytes(ReceiptJson.ToUtf8(receipt), ReceiptJson.ContentType);
    }

    /// <summary>
    /// Withdraws the link's purpose, as the member's own choice (source <c>unsubscribe</c>), and counts it as a contact. A link already
    /// used, or of an account since erased, answers the same: nothing is sent any more. From the page's button, back to the page.
    /// </summary>
    public static async Task<Results<Ok<string>, SeeOther, ProblemHttpResult>> UnsubscribeAsync(
        HttpContext http, string? token, string? from, UnsubscribeLinks links, MemberService members, CommunicationPreferences communications, VisitorRequest visitor,
        CancellationToken ct)
    {
        var body = await RequestBody.ReadAsync(http.Request, MaxUnsubscribeBody, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Unsubscribe refused", detail: "An unsubscribe request has no body but List-Unsubscribe=One-Click.");
        }
        if (links.Read(token) is not { } link)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown unsubscribe link",
                detail: "This unsubscribe link was not made by this center, or it was cut short. Sign in to change your e-mail choices.");
        }
        if (!Encoding.ASCII.GetString(body).Split('&').Contains("List-Unsubscribe=One-Click"))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Unsubscribe refused",
                detail: "Send List-Unsubscribe=One-Click as the body (RFC 8058), as the page's button does.");
        }
        if (await members.FindBySubjectAsync(link.SubjectId, ct) is { } member)
        {
            await communications.WithdrawAsync(member, link.Purpose, ConsentSource.Unsubscribe, member.Language, visitor.BrowserFamily, ct);
            await members.TouchAsync(member.Id, ct);
        }
        http.Response.Headers.CacheControl = "no-store";
        return from == "page"
            ? new SeeOther($"{UnsubscribeLinks.PagePath}?token={Uri.EscapeDataString(token!)}&done=1")
            : TypedResults.Ok("Unsubscribed.");
    }
}
