using Consent.Tests.Support;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Consent.Tests.Browser;

/// <summary>WCAG 2.1 AA as axe-core (injected into the page) sees it, with the banner open and closed.</summary>
public class AccessibilityTests(BrowserSession session) : BrowserTest(session)
{
    public static TheoryData<string> Pages => ["/", "/cookies", "/privacy", "/preferences", "/?cc=customize", "/preferences?cc=customize", "/privacy/request", "/privacy/request/verify"];

    private static async Task<string> ViolationsAsync(IPage page)
    {
        var result = await page.RunAxe(new AxeRunOptions());
        return string.Join("\n", result.Violations.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target.ToString()))}"));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task A_page_with_the_banner_open_has_no_axe_violation(string path)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();

        await page.GotoAsync(path);

        Assert.Equal(1, await page.Locator("#cc-banner").CountAsync());
        Assert.Equal("", await ViolationsAsync(page));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/cookies")]
    [InlineData("/privacy")]
    [InlineData("/preferences")]
    public async Task A_page_after_a_choice_has_no_axe_violation(string path)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();

        await page.GotoAsync(path);

        Assert.Equal(0, await page.Locator("#cc-banner").CountAsync());
        Assert.Equal("", await ViolationsAsync(page));
    }

    [Fact]
    public async Task The_confirmation_that_replaces_the_banner_has_no_axe_violation()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");

        await page.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();

        Assert.Equal("", await ViolationsAsync(page));
    }
}
