using System.Net;
using System.Security.Cryptography;
using System.Text;
using AngleSharp.Html.Parser;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary>
/// The headers every answer of the center carries (Headers/SecurityHeaders): one Content-Security-Policy fitted to
/// what the answer is, framing, nosniff, referrer and permissions policies, HSTS, and Cache-Control of pages.
/// They do not depend on the database engine, so they run on SQLite only.
/// </summary>
public sealed class SecurityHeadersTests() : AppTest(TestEngine.Sqlite)
{
    /// <summary>The header's one value as sent (HttpClient's parsed form would reorder Cache-Control).</summary>
    private static string Single(HttpResponseMessage response, string header)
    {
        List<string> values = response.Headers.NonValidated.TryGetValues(header, out var found) ? [.. found]
            : response.Content.Headers.NonValidated.TryGetValues(header, out var content) ? [.. content] : [];
        return Assert.Single(values);
    }

    /// <summary>The sources of one directive of a policy; none when the policy lacks it.</summary>
    private static string[] Directive(string policy, string name) =>
        policy.Split(';', StringSplitOptions.TrimEntries).Select(d => d.Split(' ')).FirstOrDefault(d => d[0] == name)?[1..] ?? [];

    private static string Sha256(string text) => $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";

    [Theory]
    [InlineData("/")]
    [InlineData("/cookies")]
    [InlineData("/preferences")]
    [InlineData("/account/login")]
    [InlineData("/admin")]
    [InlineData("/no-such-page")]
    [InlineData("/app.css")]
    [InlineData("/consent.js")]
    [InlineData("/api/v1/config")]
    [InlineData("/language/xx?returnUrl=/")]
    [InlineData("/health")]
    [InlineData("/openapi/v1.json")]
    public async Task Every_answer_carries_one_policy_that_no_other_site_may_frame_and_the_other_security_headers(string path)
    {
        var response = await client.GetAsync(path);

        var policy = Single(response, "Content-Security-Policy");
        Assert.Equal(["'none'"], Directive(policy, "frame-ancestors"));
        Assert.Equal(["'none'"], Directive(policy, "default-src"));
        Assert.DoesNotContain("unsafe-eval", policy);
        Assert.Equal("DENY", Single(response, "X-Frame-Options"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
        Assert.Equal("same-origin", Single(response, "Referrer-Policy"));
        var permissions = Single(response, "Permissions-Policy");
        foreach (var feature in new[] { "camera", "microphone", "geolocation", "payment", "usb", "browsing-topics" })
        {
            Assert.Contains($"{feature}=()", permissions);
        }
    }

    [Fact]
    public async Task A_problem_answer_carries_the_headers_too()
    {
        var response = await client.GetAsync("/language/xx?returnUrl=/");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'", Single(response, "Content-Security-Policy"));
        Assert.Equal("nosniff", Single(response, "X-Content-Type-Options"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/preferences")]
    public async Task A_visitor_page_runs_only_its_own_Consent_Mode_script_allowed_by_its_hash(string path)
    {
        var (response, page) = await client.GetPageAsync(path);

        var policy = Single(response, "Content-Security-Policy");
        var scripts = page.QuerySelectorAll("script");
        var consentMode = Assert.Single(scripts);
        Assert.Null(consentMode.GetAttribute("src"));
        Assert.Equal([Sha256(consentMode.TextContent)], Directive(policy, "script-src"));
        Assert.Equal(["'self'"], Directive(policy, "style-src"));
        Assert.Equal(["'self'"], Directive(policy, "frame-src"));
        Assert.Equal(["'self'"], Directive(policy, "form-action"));
        Assert.Empty(Directive(policy, "connect-src"));
    }

    [Fact]
    public async Task The_sign_in_page_runs_no_script_at_all_and_frames_nothing()
    {
        var (response, page) = await client.GetPageAsync("/account/login");

        var policy = Single(response, "Content-Security-Policy");
        Assert.Empty(page.QuerySelectorAll("script"));
        Assert.Equal(["'none'"], Directive(policy, "script-src"));
        Assert.Empty(Directive(policy, "frame-src"));
    }

    [Fact]
    public async Task An_interactive_page_allows_the_center_s_scripts_its_import_map_by_a_fresh_nonce_and_its_websocket()
    {
        using var admin = await app.SignedInAdminAsync();

        var first = await admin.GetAsync("/admin");
        var second = await admin.GetAsync("/admin");

        var policy = Single(first, "Content-Security-Policy");
        var page = new HtmlParser().ParseDocument(await first.Content.ReadAsStringAsync());
        var nonce = page.QuerySelector("script[type=importmap]")!.GetAttribute("nonce");
        Assert.Equal(["'self'", $"'nonce-{nonce}'"], Directive(policy, "script-src"));
        Assert.Equal(["'self'"], Directive(policy, "connect-src"));
        // MudBlazor writes style attributes and its theme's <style>, from the server too: no nonce can reach them.
        Assert.Equal(["'self'", "'unsafe-inline'"], Directive(policy, "style-src"));
        Assert.Empty(Directive(policy, "frame-src"));
        Assert.NotEqual(policy, Single(second, "Content-Security-Policy"));
    }

    [Fact]
    public async Task The_video_embed_may_be_framed_by_the_center_s_pages_only_and_keeps_its_one_style()
    {
        var (response, page) = await client.GetPageAsync("/embed/video");

        var policy = Single(response, "Content-Security-Policy");
        Assert.Equal(["'self'"], Directive(policy, "frame-ancestors"));
        Assert.Equal("SAMEORIGIN", Single(response, "X-Frame-Options"));
        Assert.Equal([Sha256(page.QuerySelector("style")!.TextContent)], Directive(policy, "style-src"));
        Assert.Empty(Directive(policy, "script-src"));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/?cc=customize")]
    [InlineData("/cookies")]
    [InlineData("/preferences")]
    [InlineData("/account/login")]
    [InlineData("/no-such-page")]
    public async Task Pages_are_kept_by_no_cache(string path)
    {
        var response = await client.GetAsync(path);

        Assert.Equal("private, no-store", Single(response, "Cache-Control"));
    }

    [Fact]
    public async Task A_team_page_is_kept_by_no_cache()
    {
        using var admin = await app.SignedInAdminAsync();

        var response = await admin.GetAsync("/admin/log");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("private, no-store", Single(response, "Cache-Control"));
    }

    [Fact]
    public async Task Static_assets_keep_their_own_caching()
    {
        // From a build's output MapStaticAssets asks browsers to revalidate every file, unless told to answer as published.
        await using var published = app.AnotherInstance();
        published.Settings["EnableStaticAssetsDevelopmentCaching"] = "true";
        using var visitor = published.CreateVisitorClient();
        var (_, page) = await visitor.GetPageAsync("/cookies");
        var fingerprinted = page.QuerySelector("link[rel=stylesheet]")!.GetAttribute("href")!;

        var response = await visitor.GetAsync(fingerprinted);

        Assert.Matches(@"^app\.[a-z0-9]+\.css$", fingerprinted);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("max-age=31536000, immutable", Single(response, "Cache-Control"));
    }

    [Fact]
    public async Task Outside_development_https_answers_carry_a_year_of_HSTS_for_this_host_only()
    {
        await using var production = app.AnotherInstance();
        production.Settings["environment"] = "Production";
        production.Settings["AllowedHosts"] = "consent.example.org";
        using var https = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("https://consent.example.org") });
        using var http = production.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://consent.example.org") });

        var secure = await https.GetAsync("/cookies");
        var plain = await http.GetAsync("/cookies");

        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.Equal("max-age=31536000", Single(secure, "Strict-Transport-Security"));
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }
}
