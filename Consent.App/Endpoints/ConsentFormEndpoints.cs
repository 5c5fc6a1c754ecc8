using Consent.App.Members;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>POST /consent</c>: the native form post behind the banner's, the preference center's and the
/// placeholders' buttons. It works before any script has loaded and with JavaScript disabled: the server
/// records the choice, answers with the consent cookie and sends the browser back (303).
/// </summary>
public static class ConsentFormEndpoints
{
    /// <summary>Query parameter the pages read: "customize" opens the banner's second layer, "saved" confirms a choice.</summary>
    public const string LayerParameter = "cc";

    public static IEndpointRouteBuilder MapConsentForm(this IEndpointRouteBuilder app)
    {
        // No antiforgery token: it would be a cookie, i.e. an identifier before the first choice.
        // Cross-site posts are refused from the browser's own Sec-Fetch-Site / Origin headers instead.
        app.MapPost("/consent", PostChoiceAsync).DisableAntiforgery().RequireRateLimiting(RateLimitPolicies.Choices);
        return app;
    }

    public static async Task<Results<SeeOther, ValidationProblem, ProblemHttpResult>> PostChoiceAsync(
        HttpContext http, VisitorRequest visitor, ConsentService consents, MemberSession member, CancellationToken ct)
    {
        if (!visitor.Origin.IsOwn)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Choice refused",
                detail: "Cookie choices can be made only on this site's own pages, not from another site.");
        }
        if (!http.Request.HasFormContentType || http.Request.ContentType?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: ConsentOutcome.RefusedTitle,
                detail: "Send the choice as the banner's form does: application/x-www-form-urlencoded.");
        }
        var body = await RequestBody.ReadAsync(http.Request, ConsentSubmissionReader.MaxBodyBytes, ct);
        if (body is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: ConsentOutcome.RefusedTitle,
                detail: ConsentSubmissionReader.TooLarge);
        }
        var fields = await FieldsAsync(body);
        if (fields is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["$"] = ["The form has too many or too long fields for a cookie choice."] }, title: ConsentOutcome.RefusedTitle);
        }

        var returnUrl = LocalReturnUrl(fields.FirstOrDefault(f => f.Key == "returnUrl").Value);
        if (fields.Any(f => f.Key == "layer" && f.Value == "customize"))
        {
            return new SeeOther(WithLayer(returnUrl, "customize") + "#cc-customize");
        }
        var reading = ConsentSubmissionReader.FromForm(fields);
        if (reading.Submission is not { } submission) return TypedResults.ValidationProblem(reading.Errors, title: ConsentOutcome.RefusedTitle);

        // The record carries the language the visitor was shown (their switch choice, else their browser's), as negotiated for this request.
        var outcome = await consents.RecordAsync(submission, visitor.Context(), ct: ct);
        switch (outcome.Kind)
        {
            case ConsentOutcomeKind.Recorded or ConsentOutcomeKind.Replayed:
                http.Response.Cookies.Append(ConsentCookie.Name, outcome.Receipt!.CookieValue, ConsentCookieOptions(http.Request, outcome.Receipt.Record.ExpiresAt));
                // A choice made while signed in is the member's (it follows them to their other browsers).
                await member.LinkChoiceAsync(outcome.Receipt.Record.VisitorId);
                // The fragment moves focus to the confirmation that takes the banner's place.
                return new SeeOther(WithLayer(returnUrl, "saved") + "#cc-saved");
            case ConsentOutcomeKind.Superseded:
                // The policy changed while the page was open: nothing is stored, and the page asks again.
                return new SeeOther(returnUrl);
            default:
                return TypedResults.ValidationProblem(outcome.Errors, title: ConsentOutcome.RefusedTitle);
        }
    }

    /// <summary>The form's fields in order, or null when there are more or longer ones than any choice has.</summary>
    private static async Task<List<KeyValuePair<string, string>>?> FieldsAsync(byte[] body)
    {
        using var reader = new FormReader(new MemoryStream(body))
        {
            ValueCountLimit = 2 * ConsentSubmissionReader.MaxListLength + 8,
            KeyLengthLimit = 64,
            ValueLengthLimit = ConsentSubmissionReader.MaxBodyBytes,
        };
        try
        {
            var fields = new List<KeyValuePair<string, string>>();
            while (await reader.ReadNextPairAsync() is { } pair) fields.Add(pair);
            return fields;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>
    /// How the consent cookie is set on the center's own pages (by this form and by the API for same-origin callers):
    /// HttpOnly, since no script of the center's pages reads it; expires with the decision.
    /// </summary>
    public static CookieOptions ConsentCookieOptions(HttpRequest request, DateTime expires) => new()
    {
        Path = "/",
        Expires = expires,
        HttpOnly = true,
        IsEssential = true,
        SameSite = SameSiteMode.Lax,
        Secure = request.IsHttps,
    };

    /// <summary>Longer addresses than a page of the center has go home: the Location header stays short.</summary>
    public const int MaxReturnUrlLength = 2048;

    /// <summary>A path on this site to go back to; anything else (another host, a scheme, a backslash trick) goes home.</summary>
    public static string LocalReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > MaxReturnUrlLength || !returnUrl.StartsWith('/') || !RedirectHttpResult.IsLocalUrl(returnUrl)) return "/";
        // Escaped as a Location header must be (a decoded "/é" would not go out), keeping what is escaped already.
        var cut = returnUrl.IndexOfAny(['?', '#']);
        if (cut < 0) return new PathString(returnUrl).ToUriComponent();
        var path = new PathString(returnUrl[..cut]).ToUriComponent();
        var query = QueryHelpers.ParseQuery(returnUrl[cut..].Split('#')[0]);
        query.Remove(LayerParameter);
        return QueryHelpers.AddQueryString(path, query.SelectMany(q => q.Value.Select(v => new KeyValuePair<string, string?>(q.Key, v))));
    }

    private static string WithLayer(string returnUrl, string layer) => QueryHelpers.AddQueryString(returnUrl, LayerParameter, layer);
}

/// <summary>303 See Other: after a form post the browser fetches the page again with GET.</summary>
public sealed class SeeOther(string location) : IResult
{
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
