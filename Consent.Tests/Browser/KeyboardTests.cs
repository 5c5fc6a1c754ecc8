using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>The banner and the preference center used with the keyboard alone.</summary>
public class KeyboardTests(BrowserSession session) : IClassFixture<BrowserSession>
{
    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>("() => (document.activeElement.textContent || document.activeElement.getAttribute('aria-label') || '').trim()");

    [Fact]
    public async Task Tab_reaches_the_banner_first_and_its_buttons_in_reading_order_with_visible_focus()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/");

        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await FocusedAsync(page));
        }

        Assert.Equal(["Skip to main content", "Read the cookie policy and the full list of cookies", "Accept all", "Reject all", "Customize"], order);
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle");
        Assert.NotEqual("none", outline);
    }

    [Fact]
    public async Task Escape_never_grants_consent()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Accept all" }).FocusAsync();

        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("Escape");

        Assert.Empty(await page.Context.CookiesAsync());
        await Expect(page.Locator("#cc-banner")).ToBeVisibleAsync();
        Assert.Equal("Accept all", await FocusedAsync(page));
    }

    [Fact]
    public async Task After_reject_all_with_enter_focus_lands_on_the_confirmation()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/cookies");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject all" }).FocusAsync();

        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**cc=saved**");
        await Expect(page.Locator("#cc-saved")).ToBeFocusedAsync();
        Assert.Single(await session.RecordsOfAsync(page));
    }

    [Fact]
    public async Task A_preference_switch_turns_on_with_space_and_saves_with_enter()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        await page.WaitUntilInteractiveAsync();
        var analytics = page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" });
        await analytics.FocusAsync();

        await page.Keyboard.PressAsync("Space");
        await Expect(analytics).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForURLAsync("**cc=saved**");
        var record = Assert.Single(await session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, ConsentSource.PreferenceCenter), (record.Method, record.Source));
        Assert.Contains(record.Decisions, d => d.CategoryKey == "analytics" && d.Granted);
    }

    [Fact]
    public async Task A_focused_preference_switch_shows_its_focus()
    {
        session.RequireBrowser();
        var page = await session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        await page.WaitUntilInteractiveAsync();
        await page.GetByTestId("preference-functional").Locator("summary").FocusAsync();

        await page.Keyboard.PressAsync("Tab");

        Assert.Equal("switch", await page.EvaluateAsync<string>("() => document.activeElement.getAttribute('role')"));
        var outline = await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement.closest('.mud-switch-base')).outlineStyle");
        Assert.Equal("solid", outline);
    }
}
