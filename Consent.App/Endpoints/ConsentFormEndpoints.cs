using System.Text.Json;
using Consent.App.RateLimits;
using Consent.Core.Consents;
using FluentValidation;
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
        IFormCollection form, HttpContext http, ConsentService consents, CancellationToken ct)
    {
        if (IsCrossSite(http.Request))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Choice refused",
                detail: "Cookie choices can be made only on this site's own pages, not from another site.");
        }

        var returnUrl = LocalReturnUrl(form["returnUrl"]);
        var action = form["action"].ToString();
        if (action == "customize")
        {
            return new SeeOther(WithLayer(returnUrl, "customize") + "#cc-customize");
        }

        var errors = new Dictionary<string, string[]>();
        ConsentMethod? method = action switch
        {
            "accept" => ConsentMethod.AcceptAll,
            "reject" => ConsentMethod.RejectAll,
            "save" => ConsentMethod.Custom,
            "withdraw" => ConsentMethod.Withdrawal,
            // A placeholder's "Allow …": one more category on top of the visitor's current choice, a custom choice.
            "allow" => ConsentMethod.Custom,
            _ => null,
        };
        if (method is null) errors["action"] = ["Choose one of: accept, reject, save, withdraw, allow or customize."];
        ConsentSource? source = form["source"].ToString() switch
        {
            "banner" => ConsentSource.Banner,
            "preferences" => ConsentSource.PreferenceCenter,
            "placeholder" => ConsentSource.Placeholder,
            _ => null,
        };
        if (source is null) errors["source"] = ["The choice must come from the banner, the preferences page or a placeholder."];
        var allowed = form["category"].ToString();
        if (action == "allow" && allowed.Length == 0) errors["category"] = ["Say which category to allow."];
        if (!int.TryParse(form["policyVersion"], out var policyVersion) || policyVersion < 1)
        {
            errors["policyVersion"] = ["The policy version the visitor was shown is missing or not a number."];
        }
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors, title: "This cookie choice could not be recorded");

        // The record carries the language the visitor was shown (their switch choice, else their browser's), as negotiated for this request.
        var visitor = new VisitorContext(http.Request.Cookies[ConsentCookie.Name], http.Request.Headers.AcceptLanguage, http.Request.Headers.UserAgent,
            LanguageEndpoints.ShownLanguage(http));
        var submission = new ConsentSubmission
        {
            Method = method,
            Source = source,
            PolicyVersion = policyVersion,
            // Ticked boxes count only for "Save choices": Accept all and Reject all mean what they say.
            Granted = action == "allow" ? await GrantedWithAsync(consents, visitor.ConsentCookie, allowed, ct)
                : method == ConsentMethod.Custom ? [.. form["granted"].OfType<string>()]
                : [],
        };
        try
        {
            var receipt = await consents.RecordAsync(submission, visitor, ct);
            http.Response.Cookies.Append(ConsentCookie.Name, receipt.CookieValue, ConsentCookieOptions(http.Request, receipt.Record.ExpiresAt));
            // The fragment moves focus to the confirmation that takes the banner's place.
            return new SeeOther(WithLayer(returnUrl, "saved") + "#cc-saved");
        }
        catch (ValidationException ex) when (ex.Errors.All(e => e.ErrorCode == ConsentSubmissionValidator.SupersededPolicyVersion))
        {
            // The policy changed while the page was open: nothing is stored, and the page asks again.
            return new SeeOther(returnUrl);
        }
        catch (ValidationException ex)
        {
            // The placeholder's form names its category in the "category" field.
            return TypedResults.ValidationProblem(
                ex.ByField(e => action == "allow" && e.PropertyName == nameof(ConsentSubmission.Granted) ? "category"
                    : JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName)),
                title: "This cookie choice could not be recorded");
        }
    }

    /// <summary>
    /// What a placeholder's "Allow" grants: the categories the visitor's decision in force grants, plus
    /// <paramref name="category"/>. Without a decision (or with only a privacy signal), just that category:
    /// the click is the visitor's explicit choice, and from then on it wins over the signal.
    /// </summary>
    private static async Task<List<string>> GrantedWithAsync(ConsentService consents, string? cookie, string category, CancellationToken ct)
    {
        var current = await consents.GetCurrentAsync(cookie, PrivacySignal.None, ct);
        return [.. (current.HasDecision ? current.Granted : []).Append(category).Distinct()];
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

    /// <summary>The origin this center is reached at (scheme, host, port), as a browser's Origin header names it.</summary>
    public static string OwnOrigin(HttpRequest request) => $"{request.Scheme}://{request.Host.Value}";

    /// <summary>
    /// True when the browser says the post came from another site. Browsers send Sec-Fetch-Site
    /// (and Origin) on form posts; clients that send neither are not browsers and cannot be forged through one.
    /// Behind a reverse proxy, the forwarded headers middleware gives the request the public scheme and host.
    /// </summary>
    public static bool IsCrossSite(HttpRequest request)
    {
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0) return site is not ("same-origin" or "none");
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return false;
        return !string.Equals(origin, OwnOrigin(request), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>A path on this site to go back to; anything else (another host, a scheme, a backslash trick) goes home.</summary>
    public static string LocalReturnUrl(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || !returnUrl.StartsWith('/') || !RedirectHttpResult.IsLocalUrl(returnUrl)) return "/";
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
