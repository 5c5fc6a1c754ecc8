using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>The visitor's journeys in a real Chromium, with JavaScript on and off, and clicks made the instant a page is painted.</summary>
public class VisitorJourneyTests(BrowserSession session) : BrowserTest(session)
{
    private async Task<string[]> GrantedAsync(IPage page) =>
        (await Session.RecordsOfAsync(page)).OrderBy(r => r.RecordedAt).Last()
            .Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order().ToArray();

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Reject_all_removes_the_banner_for_good_and_is_recorded(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/");
        await Expect(page.Banner()).ToBeVisibleAsync();

        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your cookie choices are saved");
        await page.ReloadAsync();
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        await page.SiteLink("Cookie policy").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cookies Policy");
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.RejectAll, ConsentSource.Banner), (record.Method, record.Source));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Customize_analytics_only_then_save_shows_in_the_preference_center(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/privacy");

        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Customize" }).ClickAsync();
        await page.Banner().GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" }).CheckAsync();
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
        await page.FooterLink("Cookie settings").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).ToBeCheckedAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Social media + embedded videos" })).Not.ToBeCheckedAsync();
        Assert.Equal(["analytics", "functional"], await GrantedAsync(page));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task From_any_page_withdrawing_takes_two_actions_and_is_appended(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/cookies");
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");

        await page.FooterLink("Cookie settings").ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Withdraw consent (reject all)" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).Not.ToBeCheckedAsync();
        var records = (await Session.RecordsOfAsync(page)).OrderBy(r => r.RecordedAt).ToList();
        Assert.Equal([ConsentMethod.AcceptAll, ConsentMethod.Withdrawal], records.Select(r => r.Method));
        Assert.Equal(["functional"], await GrantedAsync(page));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/preferences")]
    public async Task Reject_all_clicked_the_instant_the_page_is_painted_is_recorded(string path)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        var scriptsMayLoad = new TaskCompletionSource();
        await page.RouteAsync("**/*.js", async route =>
        {
            await scriptsMayLoad.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.Commit });

        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();
        scriptsMayLoad.SetResult();
        await page.WaitForChoiceSavedAsync();

        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal(ConsentMethod.RejectAll, record.Method);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_switch_flipped_in_the_preference_center_is_what_save_records(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/preferences");

        await page.GetByTestId("preference-analytics").GetByText("Analytics", new() { Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your cookie choices are saved");
        await Expect(page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" })).ToBeCheckedAsync();
        Assert.Equal(["analytics", "functional"], await GrantedAsync(page));
    }
}
