using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// A plain HTML page on another website (another port and host name) with the one script tag, a gated analytics
/// script and a gated video iframe: what a site owner does with the center, tried in a real Chromium.
/// </summary>
public class EmbeddedScriptTests(BrowserSession session) : BrowserTest(session)
{
    private const string BeaconPath = "/api/v1/banner-views";

    /// <summary>The site's page at <paramref name="path"/>; every page of the site is the same, with the one script tag.</summary>
    private string Page(string path = "/docs")
    {
        var html = $$"""
            <!doctype html>
            <html>
            <head>
              <meta charset="utf-8">
              <title>Docs</title>
              <script src="{{Session.BaseUrl}}/consent.js" data-site="{{EmbeddingSite.SiteId}}" async></script>
            </head>
            <body>
              <h1>Documentation</h1>
              <script>
                window.changes = [];
                document.addEventListener('consentcenter:change', e => window.changes.push(e.detail));
                document.addEventListener('consentcenter:consent', e => { window.firstConsent = e.detail; });
              </script>
              <script type="text/plain" data-consent-category="analytics">
                window.analyticsRan = true;
                document.cookie = '_gid=GA1.2.345; path=/';
              </script>
              <iframe title="Video" data-consent-category="social-media" data-src="/video"></iframe>
            </body>
            </html>
            """;
        Session.EmbeddingSite.Serve("/video", "<!doctype html><title>Video</title><p>Video</p>");
        return Session.EmbeddingSite.Serve(path, html);
    }

    /// <summary>Opens <paramref name="url"/> and waits until the banner-view beacon it sends has been answered.</summary>
    private static async Task GotoAndWaitForBeaconAsync(IPage page, string url) =>
        await page.RunAndWaitForRequestFinishedAsync(() => page.GotoAsync(url), new() { Predicate = r => new Uri(r.Url).AbsolutePath == BeaconPath });

    private IReadOnlyList<CenterRequest> BeaconsSince(int mark) =>
        [.. Session.CenterRequests.Since(mark).Where(r => r.PathAndQuery.StartsWith(BeaconPath, StringComparison.Ordinal))];

    /// <summary>Banner views stored for a version and language, after storing the ones counted in memory.</summary>
    private async Task<long> StoredBannerViewsAsync(int policyVersion, string language)
    {
        await Session.App.Services.GetRequiredService<BannerViewCounter>().FlushAsync();
        await using var db = await Session.App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.BannerViewRollups.Where(r => r.PolicyVersion == policyVersion && r.Language == language).SumAsync(r => r.Count);
    }

    private static async Task<int> ShownPolicyVersionAsync(IPage page) => await page.EvaluateAsync<int>("() => ConsentCenter.getConsent().policyVersion");

    private static ILocator Banner(IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "Consentement aux cookies" })
        .Or(page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" }));

    private static async Task<bool> AnalyticsRanAsync(IPage page) => await page.EvaluateAsync<bool>("() => window.analyticsRan === true");

    private static async Task<string[]> PageCookieNamesAsync(IPage page) =>
        (await page.EvaluateAsync<string>("() => document.cookie")).Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Split('=')[0]).ToArray();

    [Fact]
    public async Task A_French_visitor_customizes_analytics_on_another_site_and_the_gated_script_runs_then_and_after_a_reload()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(locale: "fr-FR");
        await page.GotoAsync(Page());

        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Consentement aux cookies" });
        await Expect(banner.GetByRole(AriaRole.Heading, new() { Name = "Nous utilisons des cookies" })).ToBeVisibleAsync();
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Tout accepter" })).ToBeVisibleAsync();
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Tout refuser" })).ToBeVisibleAsync();
        Assert.False(await AnalyticsRanAsync(page));
        await banner.GetByRole(AriaRole.Button, new() { Name = "Personnaliser" }).ClickAsync();
        // The seeded categories are translated too ("Analytics" is "Mesure d'audience").
        await banner.GetByRole(AriaRole.Checkbox, new() { Name = "Mesure d'audience" }).CheckAsync();
        await banner.GetByRole(AriaRole.Button, new() { Name = "Enregistrer mes choix" }).ClickAsync();

        await Expect(banner).ToHaveCountAsync(0);
        Assert.True(await AnalyticsRanAsync(page));
        await Expect(page.Locator("iframe[title=Video]")).Not.ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("."));
        Assert.Equal(["functional", "analytics"], await page.EvaluateAsync<string[]>("() => window.firstConsent.granted"));
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, ConsentSource.Banner, EmbeddingSite.SiteId, "fr"), (record.Method, record.Source, record.Site, record.Language));
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());

        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.analyticsRan === true");
        await Expect(Banner(page)).ToHaveCountAsync(0);
        Assert.Equal(["functional", "analytics"], await page.EvaluateAsync<string[]>("() => ConsentCenter.getConsent().granted"));
    }

    [Fact]
    public async Task Withdrawing_through_ConsentCenter_show_deletes_the_analytics_cookie_and_announces_the_change()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync(Page());
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" });
        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(page.Locator("iframe[title=Video]")).ToHaveAttributeAsync("src", "/video");
        Assert.Contains("_gid", await PageCookieNamesAsync(page));

        await page.EvaluateAsync("() => ConsentCenter.show()");
        var layer = page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" });
        await Expect(layer.GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" })).ToBeCheckedAsync();
        await layer.GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();

        await page.WaitForFunctionAsync("() => window.changes.length === 2");
        Assert.DoesNotContain("_gid", await PageCookieNamesAsync(page));
        Assert.Contains("cc_consent", await PageCookieNamesAsync(page));
        Assert.Equal(["functional"], await page.EvaluateAsync<string[]>("() => window.changes[1].granted"));
        await Expect(page.Locator("iframe[title=Video]")).Not.ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("."));
        Assert.DoesNotContain(page.Frames, f => f.Url.EndsWith("/video", StringComparison.Ordinal)); // unloaded, not just unlinked
        // Only optional categories of the catalogue can be changed from the page's own controls; nothing is recorded otherwise.
        var refused = await page.EvaluateAsync<string>("() => ConsentCenter.rejectCategory('functional').then(() => 'recorded', e => e.message)");
        Assert.Contains("not an optional category", refused);
        var records = (await Session.RecordsOfAsync(page)).OrderBy(r => r.RecordedAt).ToList();
        Assert.Equal([ConsentMethod.AcceptAll, ConsentMethod.Withdrawal], records.Select(r => r.Method));
        Assert.Equal([ConsentSource.Banner, ConsentSource.PreferenceCenter], records.Select(r => r.Source));
        Assert.All(records, r => Assert.Equal(EmbeddingSite.SiteId, r.Site));
        Assert.Single(records.Select(r => r.VisitorId).Distinct()); // the first-party cookie went back in the header
    }

    [Fact]
    public async Task The_embedded_banner_and_its_customize_layer_pass_axe_and_start_the_keyboard_order()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync(Page());
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" });
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" })).ToBeVisibleAsync();

        await page.Keyboard.PressAsync("Tab");
        var firstFocused = await page.EvaluateAsync<string>("() => document.activeElement.textContent");
        await banner.GetByRole(AriaRole.Button, new() { Name = "Customize" }).ClickAsync();
        await Expect(banner.GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" })).ToBeVisibleAsync();
        var result = await page.Locator(".cc-root").RunAxe(new AxeRunOptions());

        Assert.Equal("Read the cookie policy and the full list of cookies", firstFocused);
        Assert.Equal("", string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}")));
        Assert.Equal("true", await banner.GetByRole(AriaRole.Button, new() { Name = "Customize" }).GetAttributeAsync("aria-expanded"));
    }

    [Fact]
    public async Task A_returning_visitor_opening_another_page_of_the_site_makes_no_request_to_the_center_and_the_banner_was_counted_once()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        var version = (await Session.App.Services.GetRequiredService<PolicyService>().GetCurrentAsync()).Number;
        var viewsBefore = await StoredBannerViewsAsync(version, "en");
        var mark = Session.CenterRequests.Count;
        await GotoAndWaitForBeaconAsync(page, Page());
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" });
        // Opening the customize layer, and later the preference center, shows no new banner.
        await banner.GetByRole(AriaRole.Button, new() { Name = "Customize" }).ClickAsync();
        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(banner).ToHaveCountAsync(0);
        await page.EvaluateAsync("() => ConsentCenter.show()");
        await Expect(Banner(page).GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" })).ToBeCheckedAsync();
        var afterChoice = Session.CenterRequests.Count;

        await page.GotoAsync(Page("/guide"));
        await page.WaitForFunctionAsync("() => window.analyticsRan === true");

        // The script, its styles and the config all came from the browser's cache; the state from the site's own cookie.
        Assert.Equal([], Session.CenterRequests.Since(afterChoice).Select(r => $"{r.Method} {r.PathAndQuery}"));
        await Expect(Banner(page)).ToHaveCountAsync(0);
        Assert.True(await page.EvaluateAsync<bool>("() => ConsentCenter.getConsent().hasDecision"));
        var beacon = Assert.Single(BeaconsSince(mark));
        Assert.Equal(("POST", $"{BeaconPath}?policyVersion={version}&language=en&site={EmbeddingSite.SiteId}"), (beacon.Method, beacon.PathAndQuery));
        Assert.False(beacon.HasCookie || beacon.HasConsentCookieHeader);
        Assert.DoesNotContain(Session.CenterRequests.Since(mark), r => r.Method == "OPTIONS" && r.PathAndQuery.StartsWith(BeaconPath, StringComparison.Ordinal));
        Assert.Equal(version, await ShownPolicyVersionAsync(page));
        Assert.Equal(viewsBefore + 1, await StoredBannerViewsAsync(version, "en"));
    }

    [Fact]
    public async Task A_browser_with_Global_Privacy_Control_sees_no_banner_on_another_site_sends_no_beacon_and_an_explicit_choice_then_wins()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        // Chromium has no GPC switch; a browser that has one says so to scripts as navigator.globalPrivacyControl.
        await page.Context.AddInitScriptAsync("Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })");
        var mark = Session.CenterRequests.Count;
        await page.GotoAsync(Page());
        await page.WaitForFunctionAsync("() => window.ConsentCenter && ConsentCenter.getConsent() !== null && document.querySelector('.cc-sr') !== null");

        Assert.Equal("global-privacy-control", await page.EvaluateAsync<string>("() => ConsentCenter.getConsent().privacySignal"));
        Assert.Equal(["analytics", "social-media"], await page.EvaluateAsync<string[]>("() => ConsentCenter.getConsent().denied"));
        await Expect(Banner(page)).ToHaveCountAsync(0);
        Assert.False(await AnalyticsRanAsync(page));
        await Expect(page.Locator("iframe[title=Video]")).Not.ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("."));
        Assert.Empty(await page.Context.CookiesAsync()); // nothing written, on either site, until the visitor acts

        // The visitor's own later choice overrides the signal and is recorded with its method.
        await page.EvaluateAsync("() => ConsentCenter.acceptCategory('analytics')");
        await page.WaitForFunctionAsync("() => window.analyticsRan === true");
        Assert.Empty(BeaconsSince(mark)); // sent before the choice, it would have arrived before it
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, EmbeddingSite.SiteId), (record.Method, record.Site));
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.analyticsRan === true");
        Assert.Equal("none", await page.EvaluateAsync<string>("() => ConsentCenter.getConsent().privacySignal"));
    }

    [Fact]
    public async Task A_policy_the_team_publishes_shows_the_banner_again_with_what_changed_once_the_cached_config_has_expired()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await GotoAndWaitForBeaconAsync(page, Page());
        await Banner(page).GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(Banner(page)).ToHaveCountAsync(0);
        var answered = await ShownPolicyVersionAsync(page);
        await Session.App.Services.GetRequiredService<PolicyService>().PublishAsync(
            new PolicyPublication { Summary = "Videos now come from a second supplier.", ChangedCategories = ["social-media"] }, ConsentAppFactory.AdminEmail);

        // Within the config's minute the browser keeps the one it has, and the decision holds.
        await page.GotoAsync(Page("/guide"));
        await page.WaitForFunctionAsync("() => window.analyticsRan === true");
        await Expect(Banner(page)).ToHaveCountAsync(0);
        // Past it: the browser's cache no longer answers (emptied here rather than waited for).
        var devTools = await page.Context.NewCDPSessionAsync(page);
        await devTools.SendAsync("Network.clearBrowserCache");
        var mark = Session.CenterRequests.Count;
        await GotoAndWaitForBeaconAsync(page, Page());

        var banner = Banner(page);
        await Expect(banner.GetByText("Our cookie policy has changed since your last choice.")).ToBeVisibleAsync();
        await Expect(banner.GetByRole(AriaRole.Listitem)).ToHaveTextAsync(["Videos now come from a second supplier. (Social media + embedded videos)"]);
        Assert.Equal(answered + 1, await ShownPolicyVersionAsync(page));
        Assert.EndsWith($"?policyVersion={answered + 1}&language=en&site={EmbeddingSite.SiteId}", Assert.Single(BeaconsSince(mark)).PathAndQuery);
        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(banner).ToHaveCountAsync(0);
        Assert.Equal([answered, answered + 1], (await Session.RecordsOfAsync(page)).OrderBy(r => r.RecordedAt).Select(r => r.PolicyVersion));
    }

    [Fact]
    public async Task The_script_sets_Google_consent_defaults_denied_and_updates_them_after_the_decision()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync(Page());
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Cookie consent" });
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" })).ToBeVisibleAsync();

        var defaults = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => Array.from(window.dataLayer[0])");
        Assert.Equal(("consent", "default"), (defaults[0].GetString(), defaults[1].GetString()));
        Assert.Equal("granted", defaults[2].GetProperty("security_storage").GetString());
        foreach (var type in new[] { "ad_storage", "ad_user_data", "ad_personalization", "analytics_storage", "functionality_storage", "personalization_storage" })
        {
            Assert.Equal("denied", defaults[2].GetProperty(type).GetString());
        }

        await banner.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await page.WaitForFunctionAsync("() => window.changes.length === 1");
        var update = await page.EvaluateAsync<System.Text.Json.JsonElement>("() => Array.from(window.dataLayer[window.dataLayer.length - 1])");
        Assert.Equal(("consent", "update"), (update[0].GetString(), update[1].GetString()));
        Assert.Equal("granted", update[2].GetProperty("analytics_storage").GetString());
        Assert.Equal("granted", update[2].GetProperty("ad_storage").GetString());
    }
}
