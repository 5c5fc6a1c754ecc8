using System.Text.RegularExpressions;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Consent.App.Members;
using Consent.Core.Catalogue;
using MimeKit;

namespace Consent.Tests.Support;

/// <summary>The members' static forms the way a browser posts them: the page, its antiforgery token and its cookies.</summary>
public static partial class MemberPages
{
    public const string Password = "a long enough passphrase";

    /// <summary>Gets <paramref name="path"/>, then posts its form <paramref name="formName"/> with the antiforgery token it carries.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(this HttpClient client, string path, string formName, IDictionary<string, string> fields,
        string? acceptLanguage = null)
    {
        using var get = new HttpRequestMessage(HttpMethod.Get, path);
        if (acceptLanguage is not null) get.Headers.Add("Accept-Language", acceptLanguage);
        var page = new HtmlParser().ParseDocument(await (await client.SendAsync(get)).Content.ReadAsStringAsync());
        var token = page.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{path} has no antiforgery token.");
        var form = new Dictionary<string, string> { ["_handler"] = formName, ["__RequestVerificationToken"] = token };
        foreach (var (name, value) in fields) form[$"Input.{name}"] = value;
        using var post = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        if (acceptLanguage is not null) post.Headers.Add("Accept-Language", acceptLanguage);
        return await client.SendAsync(post);
    }

    public static Task<HttpResponseMessage> SignUpAsync(this HttpClient client, string userName, string email, string password = Password,
        string? acceptLanguage = null, IDictionary<string, string>? more = null)
    {
        var fields = new Dictionary<string, string> { ["UserName"] = userName, ["Email"] = email, ["Password"] = password };
        foreach (var (name, value) in more ?? new Dictionary<string, string>()) fields[name] = value;
        return client.PostFormAsync("/members/signup", "signup", fields, acceptLanguage);
    }

    public static Task<HttpResponseMessage> SignInAsMemberAsync(this HttpClient client, string login, string password = Password, string path = "/members/signin") =>
        client.PostFormAsync(path, "member-signin", new Dictionary<string, string> { ["Login"] = login, ["Password"] = password });

    public static async Task<IHtmlDocument> PageAsync(this HttpResponseMessage response) =>
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());

    /// <summary>The first link of a mail's text that leads to <paramref name="path"/>, as path and query for the test client.</summary>
    public static string LinkTo(this MimeMessage mail, string path) =>
        Links().Matches(mail.TextBody ?? "").Select(m => new Uri(m.Value)).First(u => u.AbsolutePath == path).PathAndQuery;

    /// <summary>Whether a response sets the member session cookie with a value (not its deletion).</summary>
    public static bool SetsMemberCookie(this HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var values)
        && values.Any(v => v.StartsWith(CenterCookies.MemberSession + "=", StringComparison.Ordinal) && !v.StartsWith(CenterCookies.MemberSession + "=;", StringComparison.Ordinal));

    /// <summary>Where a redirect leads, as path and query (the app answers with absolute addresses).</summary>
    public static string? RedirectPath(this HttpResponseMessage response) =>
        response.Headers.Location is not { } location ? null : location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;

    public const string SignInPath = MemberAuthentication.SignInPath;

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Links();
}
