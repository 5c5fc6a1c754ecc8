using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Consent.App.Headers;
using Consent.Core.Policies;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>
/// A visitor's page view, the banner config and a choice read nothing from the database; a first visit's page is rendered once
/// and then served from the output cache, and every banner served is still counted. On SQLite: the output cache and the snapshot
/// are in memory and the same on both engines (TwoInstancesTests and ChangeFeedTests cover PostgreSQL's instances).
/// </summary>
public sealed partial class HotPathTests() : AppTest(TestEngine.Sqlite)
{
    private async Task<HttpResponseMessage> GetAsync(string path, Action<HttpRequestMessage>? arrange = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, path);
        arrange?.Invoke(request);
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static bool FromCache(HttpResponseMessage response) => response.Headers.Age is not null;

    private async Task<List<(string Language, long Count)>> StoredViewsAsync()
    {
        await app.Services.GetRequiredService<BannerViewCounter>().FlushAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<Consent.Core.Persistence.ConsentDbContext>>().CreateDbContextAsync();
        return [.. (await db.BannerViewRollups.AsNoTracking().ToListAsync()).OrderBy(r => r.Language).Select(r => (r.Language, r.Count))];
    }

    [Fact]
    public async Task A_first_visit_page_is_rendered_once_then_served_from_the_output_cache_with_the_same_bytes()
    {
        var first = await GetAsync("/");
        var second = await GetAsync("/");

        Assert.False(FromCache(first));
        Assert.True(FromCache(second));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Contains("id=\"cc-banner\"", await second.Content.ReadAsStringAsync());
        // The browser still keeps nothing: after a choice, "back" must fetch the page without the banner.
        Assert.Equal(SecurityHeaders.PageCacheControl, Assert.Single(second.Headers.NonValidated["Cache-Control"]));
        Assert.Empty(second.SetCookieNames());
    }

    [Fact]
    public async Task Every_banner_served_is_counted_whether_rendered_or_from_the_cache()
    {
        for (var i = 0; i < 3; i++) await GetAsync("/cookies");
        await GetAsync("/cookies", r => r.Headers.Add("Accept-Language", "fr-FR"));

        Assert.Equal([("en", 3L), ("fr", 1L)], await StoredViewsAsync());
    }

    [Fact]
    public async Task The_second_layer_a_head_request_an_honoured_signal_and_a_not_found_page_count_no_view()
    {
        await GetAsync("/?cc=customize");
        await GetAsync("/?cc=customize");
        await GetAsync("/", method: HttpMethod.Head);
        await GetAsync("/", r => r.Headers.Add("Sec-GPC", "1"));
        await GetAsync("/no-such-page");

        Assert.Empty(await StoredViewsAsync());
    }

    [Fact]
    public async Task Languages_and_privacy_signals_get_their_own_cached_pages()
    {
        await GetAsync("/");
        await GetAsync("/", r => r.Headers.Add("Accept-Language", "fr-FR"));
        await GetAsync("/", r => r.Headers.Add("Sec-GPC", "1"));

        var english = await GetAsync("/");
        var french = await GetAsync("/", r => r.Headers.Add("Accept-Language", "fr-FR,fr;q=0.9"));
        var chosenFrench = await GetAsync("/", r => r.Headers.Add("Cookie", "cc_lang=fr"));
        var signal = await GetAsync("/", r => r.Headers.Add("Sec-GPC", "1"));

        Assert.All([english, french, signal], r => Assert.True(FromCache(r)));
        Assert.Contains("lang=\"en\"", await english.Content.ReadAsStringAsync());
        Assert.Contains("lang=\"fr\"", await french.Content.ReadAsStringAsync());
        Assert.Contains("lang=\"fr\"", await chosenFrench.Content.ReadAsStringAsync());
        Assert.Contains("id=\"cc-banner\"", await english.Content.ReadAsStringAsync());
        Assert.DoesNotContain("id=\"cc-banner\"", await signal.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_visitor_with_a_consent_cookie_gets_a_page_rendered_for_them_that_no_cache_keeps()
    {
        var cookie = (await client.PostChoiceAsync(BannerForm("accept-all"))).ConsentCookieValue();
        await GetAsync("/", r => r.Headers.Add("Cookie", $"cc_consent={cookie}"));

        var again = await GetAsync("/", r => r.Headers.Add("Cookie", $"cc_consent={cookie}"));

        Assert.False(FromCache(again));
        Assert.DoesNotContain("id=\"cc-banner\"", await again.Content.ReadAsStringAsync());
        Assert.Equal(SecurityHeaders.PageCacheControl, Assert.Single(again.Headers.NonValidated["Cache-Control"]));
        // And the next first visitor still gets the banner, not this visitor's page.
        Assert.Contains("id=\"cc-banner\"", await (await GetAsync("/")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/?utm_source=mail")]
    [InlineData("/?cc=customize&x=1")]
    [InlineData("/?cc=other")]
    public async Task An_address_with_more_than_the_banner_s_layer_is_rendered_each_time_so_no_one_fills_the_cache(string path)
    {
        await GetAsync(path);

        var again = await GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.False(FromCache(again));
    }

    [Fact]
    public async Task A_published_policy_replaces_the_cached_pages_at_once()
    {
        await GetAsync("/");
        Assert.True(FromCache(await GetAsync("/")));

        await app.Services.GetRequiredService<PolicyService>().PublishAsync(
            new PolicyPublication { Summary = "A new analytics supplier.", ChangedCategories = ["analytics"] }, ConsentAppFactory.AdminEmail);
        var after = await GetAsync("/");

        Assert.False(FromCache(after));
        Assert.Contains("name=\"policyVersion\" value=\"2\"", await after.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_cached_page_s_content_security_policy_still_allows_its_consent_mode_script()
    {
        await GetAsync("/");

        var cached = await GetAsync("/");

        Assert.True(FromCache(cached));
        var script = ScriptPattern().Match(await cached.Content.ReadAsStringAsync()).Groups[1].Value;
        Assert.NotEmpty(script);
        Assert.Contains(ContentSecurityPolicy.Hash(WebUtility.HtmlDecode(script)), cached.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Page_views_the_config_and_a_choice_read_nothing_from_the_database()
    {
        var cookie = (await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"))).ConsentCookieValue();
        using var commands = new DatabaseCommands(app.Database.Name);

        foreach (var path in new[] { "/", "/", "/cookies", "/privacy", "/preferences", "/?cc=customize", "/api/v1/config?lang=fr", "/api/v1/consents/current" })
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(path)).StatusCode);
        }
        foreach (var path in new[] { "/", "/cookies", "/preferences" })
        {
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(path, r => r.Headers.Add("Cookie", $"cc_consent={cookie}"))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.SeeOther, (await client.PostChoiceAsync(BannerForm("reject-all"), consentCookie: cookie)).StatusCode);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents")
        {
            Content = JsonContent.Create(new { method = "accept-all", source = "banner", policyVersion = 1 }),
        };
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        Assert.Equal(HttpStatusCode.Created, (await client.SendAsync(post)).StatusCode);

        Assert.True(commands.Reads.Count == 0, string.Join("\n---\n", commands.Reads));
        Assert.Equal(3, (await StoredRecordsAsync()).Count);
        // And a read of the team's list is heard: the listener hears this app's database at all.
        await app.Services.GetRequiredService<PolicyService>().ListAsync();
        Assert.NotEmpty(commands.Reads);
    }

    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ScriptPattern();
}
