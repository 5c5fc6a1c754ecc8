using System.Net;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>
/// Every cookie the center sets is Secure when the request came over HTTPS, directly or through the trusted proxy
/// that ended TLS, and only then: a development machine on plain HTTP still signs in. SQLite only: no engine is involved.
/// </summary>
public sealed class SecureCookiesTests() : AppTest(TestEngine.Sqlite)
{
    public enum Connection
    {
        Https,
        ProxyEndedTls,
        PlainHttp,
    }

    private HttpClient ClientOver(Connection connection)
    {
        var over = app.CreateClient(new()
        {
            AllowAutoRedirect = false,
            HandleCookies = false,
            BaseAddress = new Uri(connection == Connection.Https ? "https://localhost" : "http://localhost"),
        });
        if (connection == Connection.ProxyEndedTls) over.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return over;
    }

    /// <summary>Each cookie a sign-in, a language switch and a first choice set, with its attributes as sent.</summary>
    private async Task<Dictionary<string, string>> CookiesSetAsync(HttpClient over)
    {
        var login = await over.GetAsync("/account/login");
        var signIn = await TeamSignIn.SignInAcrossAsync(over, over, ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);
        var language = await over.GetAsync("/language/fr?returnUrl=/");
        var choice = await over.PostChoiceAsync(BannerForm("accept-all"));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return new[] { login, signIn, language, choice }
            .SelectMany(r => r.Headers.GetValues("Set-Cookie"))
            .ToDictionary(c => c.Split('=', 2)[0], c => c.ToLowerInvariant());
    }

    [Theory]
    [InlineData(Connection.Https)]
    [InlineData(Connection.ProxyEndedTls)]
    public async Task Over_https_every_cookie_the_center_sets_is_secure(Connection connection)
    {
        using var over = ClientOver(connection);

        var cookies = await CookiesSetAsync(over);

        Assert.Equal([CenterCookies.Antiforgery, ConsentCookie.Name, CenterCookies.Language, CenterCookies.TeamSession], cookies.Keys.Order());
        Assert.All(cookies, c => Assert.Contains("; secure", c.Value));
    }

    [Fact]
    public async Task Over_plain_http_no_cookie_is_secure_so_a_development_machine_still_signs_in()
    {
        using var over = ClientOver(Connection.PlainHttp);

        var cookies = await CookiesSetAsync(over);

        Assert.Equal(4, cookies.Count);
        Assert.All(cookies, c => Assert.DoesNotContain("secure", c.Value));
    }
}
