using System.Net.Http.Headers;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Consent.Core.Consents;

namespace Consent.Tests.Support;

/// <summary>What a browser would send and read, over the real app's HTTP pipeline.</summary>
public static class VisitorRequests
{
    public static async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetPageAsync(this HttpClient client, string path, string? consentCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (consentCookie is not null) request.Headers.Add("Cookie", $"{ConsentCookie.Name}={consentCookie}");
        var response = await client.SendAsync(request);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        return (response, page);
    }

    public static async Task<HttpResponseMessage> PostChoiceAsync(this HttpClient client, IEnumerable<KeyValuePair<string, string>> form,
        string? consentCookie = null, string? secFetchSite = "same-origin")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(form) };
        if (consentCookie is not null) request.Headers.Add("Cookie", $"{ConsentCookie.Name}={consentCookie}");
        if (secFetchSite is not null) request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("en-GB"));
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36");
        return await client.SendAsync(request);
    }

    public static KeyValuePair<string, string>[] BannerForm(string action, int policyVersion = 1, string returnUrl = "/", params string[] granted) =>
    [
        new("action", action), new("source", "banner"), new("policyVersion", policyVersion.ToString()), new("returnUrl", returnUrl),
        .. granted.Select(g => new KeyValuePair<string, string>("granted", g)),
    ];

    /// <summary>The names of the cookies a response sets.</summary>
    public static IReadOnlyList<string> SetCookieNames(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split('=', 2)[0]).ToList() : [];

    /// <summary>The value of the consent cookie the response sets.</summary>
    public static string ConsentCookieValue(this HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith(ConsentCookie.Name + "=")).Split(';')[0].Split('=', 2)[1];
}
