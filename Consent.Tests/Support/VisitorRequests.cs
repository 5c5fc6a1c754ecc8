using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Consent.Core.Catalogue;
using Consent.Core.Consents;

namespace Consent.Tests.Support;

/// <summary>What a browser would send and read, over the real app's HTTP pipeline.</summary>
public static class VisitorRequests
{
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(this HttpClient client, string path, string? consentCookie = null,
        string? acceptLanguage = null, string? languageCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        AddCookies(request, consentCookie, languageCookie);
        if (acceptLanguage is not null) request.Headers.Add("Accept-Language", acceptLanguage);
        var response = await client.SendAsync(request);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return (response, page);
    }

    public static async Task<HttpResponseMessage> PostChoiceAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> form,
        string? consentCookie = null, string? secFetchSite = "same-origin", string acceptLanguage = "en-GB", string? languageCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(form) };
        AddCookies(request, consentCookie, languageCookie);
        if (secFetchSite is not null) request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        request.Headers.Add("Accept-Language", acceptLanguage);
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36");
        return await client.SendAsync(request);
    }

    /// <summary>The banner's form with one of its buttons pressed: a method (accept-all, reject-all, custom) or "customize" (the layer).</summary>
    public static KeyValuePair<string, string>[] BannerForm(string button, int policyVersion = 1, string returnUrl = "/", params string[] granted) =>
    [
        button == "customize" ? new("layer", button) : new("method", button), new("source", "banner"), new("policyVersion", policyVersion.ToString()), new("returnUrl", returnUrl),
        .. granted.Select(g => new KeyValuePair<string, string>("granted", g)),
    ];

    /// <summary>The consent cookie and the language chosen with the switch (<c>cc_lang</c>), as a browser sends them.</summary>
    private static void AddCookies(HttpRequestMessage request, string? consentCookie, string? languageCookie)
    {
        var cookies = new[] { (ConsentCookie.Name, consentCookie), (CenterCookies.Language, languageCookie) }
            .Where(c => c.Item2 is not null).Select(c => $"{c.Item1}={c.Item2}").ToList();
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies));
    }

    /// <summary>The names of the cookies a response sets.</summary>
    public static IReadOnlyList<string> SetCookieNames(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split('=', 2)[0]).ToList() : [];

    /// <summary>The value of the consent cookie the response sets.</summary>
    public static string ConsentCookieValue(this HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith(ConsentCookie.Name + "=")).Split(';')[0].Split('=', 2)[1];
}
