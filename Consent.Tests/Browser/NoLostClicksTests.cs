using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>The visitor's journey in a real Chromium, with JavaScript on and off, and clicks made before any script runs.</summary>
public class NoLostClicksTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reject_all_removes_the_banner_for_good_and_is_recorded(bool javaScript)
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/");
        Assert.Empty(await page.Context.CookiesAsync());

        await page.GetByRole(AriaRole.Region, new() { Name = "We use cookies" }).GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your cookie choices are saved");
        await page.ReloadAsync();
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        await page.GotoAsync("/cookies");
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        var record = Assert.Single(await session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.RejectAll, ConsentSource.Banner), (record.Method, record.Source));
    }

    [Fact]
    public async Task Without_javascript_customize_then_save_records_analytics_only_and_the_preference_center_shows_it()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync(javaScript: false);
        await page.GotoAsync("/privacy");

        await page.GetByRole(AriaRole.Button, new() { Name = "Customize" }).ClickAsync();
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
        await page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = "Cookie settings" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Social media + embedded videos" })).Not.ToBeCheckedAsync();
        var record = Assert.Single(await session.RecordsOfAsync(page));
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
    }

    [Fact]
    public async Task A_switch_flipped_before_the_preference_center_is_connected_is_what_save_records()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        var connect = new TaskCompletionSource();
        await page.RouteAsync("**/_framework/blazor.web*.js", async route =>
        {
            await connect.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync("/preferences", new() { WaitUntil = WaitUntilState.Commit });

        await page.GetByTestId("preference-analytics").GetByText("Analytics", new() { Exact = true }).ClickAsync();
        Assert.Equal(0, await page.Locator("[data-interactive=true]").CountAsync());
        connect.SetResult();
        await page.Locator("form[data-interactive=true]").WaitForAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your cookie choices are saved");
        var record = Assert.Single(await session.RecordsOfAsync(page));
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
    }

    [Fact]
    public async Task Withdrawing_from_cookie_settings_takes_two_actions_and_is_appended()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        session.App.Time.Advance(TimeSpan.FromMinutes(1));

        await page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = "Cookie settings" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw consent (reject all)" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).Not.ToBeCheckedAsync();
        var records = (await session.RecordsOfAsync(page)).OrderBy(r => r.RecordedAt).ToList();
        Assert.Equal([ConsentMethod.AcceptAll, ConsentMethod.Withdrawal], records.Select(r => r.Method));
    }
}
