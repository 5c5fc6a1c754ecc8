using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// Issue 5 on the center's own pages, in a real Chromium: a browser sending Global Privacy Control, a French
/// browser and the language switch, and an embed held back by ConsentGate until its category is allowed.
/// </summary>
public class SignalLanguageAndGateTests(BrowserSession session) : BrowserTest(session)
{
    [Fact]
    public async Task A_GPC_browser_gets_no_banner_no_cookie_a_notice_in_the_preference_center_and_its_own_choice_then_wins()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(headers: new Dictionary<string, string> { ["Sec-GPC"] = "1" });

        await page.GotoAsync("/");
        await Expect(page.Locator("h1")).ToBeVisibleAsync();
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        Assert.Empty(await page.Context.CookiesAsync());
        // Google Consent Mode: defaults denied, then the signal's refusal as the update, before any tag could run.
        Assert.Equal("denied", await page.EvaluateAsync<string>("() => Array.from(window.dataLayer[1])[2].analytics_storage"));
        await Expect(page.Locator("iframe.embed-video")).ToHaveCountAsync(0);

        await page.FooterLink("Cookie settings").ClickAsync();
        await Expect(page.GetByTestId("privacy-signal")).ToContainTextAsync("Global Privacy Control");
        await page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();

        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, ConsentSource.PreferenceCenter), (record.Method, record.Source));
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
        await Expect(page.GetByTestId("privacy-signal")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("current-decision")).ToContainTextAsync(record.Id.ToString("D"));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_French_browser_reads_the_banner_in_French_switches_to_English_and_its_choice_is_recorded_in_English(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript, locale: "fr-FR");

        await page.GotoAsync("/cookies");
        var banner = page.GetByRole(AriaRole.Region, new() { Name = "Nous utilisons des cookies" });
        await Expect(banner.GetByRole(AriaRole.Button, new() { Name = "Tout accepter" })).ToBeVisibleAsync();
        Assert.Equal("fr", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Empty(await page.Context.CookiesAsync());

        await page.GetByTestId("language-switch").GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForRedirectAsync("**/cookies");
        await Expect(page.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" })).ToBeVisibleAsync();
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Equal(["cc_lang"], (await page.Context.CookiesAsync()).Select(c => c.Name));
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();

        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.RejectAll, "en"), (record.Method, record.Language));
        // The language cookie is one the cookie policy declares, like every cookie the center sets.
        await Expect(page.Locator("table").GetByRole(AriaRole.Cell, new() { Name = CenterCookies.Language, Exact = true })).ToBeVisibleAsync();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_home_page_video_loads_only_after_its_category_is_allowed_from_the_placeholder(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/");
        await Expect(page.GetByTestId("consent-gate")).ToContainTextAsync("the community video");
        await Expect(page.Locator("iframe.embed-video")).ToHaveCountAsync(0);

        await page.GetByTestId("consent-gate").GetByRole(AriaRole.Button, new() { Name = "Allow Social media + embedded videos" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();

        await Expect(page.Locator("iframe.embed-video")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("consent-gate")).ToHaveCountAsync(0);
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, ConsentSource.Placeholder), (record.Method, record.Source));
        Assert.Equal(["functional", "social-media"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
    }
}
