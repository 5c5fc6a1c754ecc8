using System.Globalization;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.PrivacyPolicy;
using Consent.Core.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>GET /privacy/request/file?token=…</c>: the file a DPO's reply links to (a member's export, a visitor's consent history), as a
/// download, while the link lasts (<c>Consent:Requests:FileLinkDays</c>). The token is the only proof; it is never logged.
/// </summary>
public static class RequestFileEndpoints
{
    public const string Path = "/" + RequestInbox.FilePath;

    public static IEndpointRouteBuilder MapRequestFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, DownloadAsync).RequireRateLimiting(RateLimitPolicies.Choices);
        return app;
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadAsync(
        HttpContext http, string? token, RequestInbox inbox, VisitorRequest visitor, IOptions<PrivacyPolicyOptions> policy, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var culture = CultureInfo.GetCultureInfo(visitor.Language);
        if (await inbox.OpenFileAsync(token ?? "", ct) is { } file)
        {
            return TypedResults.File(file.Content, file.ContentType, file.FileName);
        }
        return await inbox.LinkExpiredAsync(token ?? "", ct)
            ? TypedResults.Problem(statusCode: StatusCodes.Status410Gone, title: RequestTexts.In(culture, "File.Expired.Title"),
                detail: RequestTexts.In(culture, "File.Expired.Detail", policy.Value.Dpo.Email))
            : TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: RequestTexts.In(culture, "File.Unknown.Title"),
                detail: RequestTexts.In(culture, "File.Unknown.Detail", policy.Value.Dpo.Email));
    }
}
