using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>The banner and the preference center used with the keyboard alone.</summary>
public class KeyboardTests(BrowserSession session) : BrowserTest(session)
{
    private static Task<string> FocusedAsync(IPage page) =>
        page.EvaluateAsync<string>("() => (document.activeElement.textContent || document.activeElement.getAttribute('aria-label') || '').trim()");

    [Fact]
    public async Task Tab_reaches_the_banner_first_and_its_buttons_in_reading_order_with_visible_focus()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");

        var order = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await FocusedAsync(page));
            Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        }

        Assert.Equal(["Skip to main content", "Read the cookie policy and the full list of cookies", "Accept all", "Reject all", "Customize"], order);
    }

    [Fact]
    public async Task Customize_opens_the_second_layer_with_focus_on_it_and_its_controls_follow_in_order()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Button, new() { Name = "Customize" }).FocusAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForRedirectAsync("**cc=customize**");

        await Expect(page.Locator("#cc-customize")).ToBeFocusedAsync();
        var order = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => document.activeElement.labels?.[0]?.textContent.trim() || document.activeElement.textContent.trim()"));
        }
        var counts = (await Session.App.Services.GetRequiredService<CatalogueService>().GetCategoriesAsync()).Select(c => c.Cookies.Count).ToList();
        Assert.Equal([$"Cookies in this category ({counts[0]})", "Analytics", $"Cookies in this category ({counts[1]})", "Social media + embedded videos", $"Cookies in this category ({counts[2]})", "Save choices"], order);
    }

    [Fact]
    public async Task After_saving_in_the_preference_center_focus_lands_on_the_confirmation()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        await page.GetByTestId("preferences-form").GetByRole(AriaRole.Button, new() { Name = "Reject all" }).FocusAsync();

        await page.Keyboard.PressAsync("Enter");
        await page.WaitForChoiceSavedAsync();

        await Expect(page.Locator("#cc-saved")).ToBeFocusedAsync();
    }

    [Fact]
    public async Task Escape_never_grants_consent()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
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
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/cookies");
        await page.GetByRole(AriaRole.Button, new() { Name = "Reject all" }).FocusAsync();

        await page.Keyboard.PressAsync("Enter");

        await page.WaitForChoiceSavedAsync();
        await Expect(page.Locator("#cc-saved")).ToBeFocusedAsync();
        Assert.Single(await Session.RecordsOfAsync(page));
    }

    [Fact]
    public async Task A_preference_switch_turns_on_with_space_and_saves_with_enter()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        var analytics = page.GetByRole(AriaRole.Switch, new() { Name = "Analytics" });
        await analytics.FocusAsync();

        await page.Keyboard.PressAsync("Space");
        await Expect(analytics).ToBeCheckedAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await page.WaitForChoiceSavedAsync();
        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal((ConsentMethod.Custom, ConsentSource.PreferenceCenter), (record.Method, record.Source));
        Assert.Contains(record.Decisions, d => d.CategoryKey == "analytics" && d.Granted);
    }

    [Fact]
    public async Task Tab_reaches_every_switch_and_button_of_the_preference_center_in_order_with_visible_focus()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/preferences");
        await page.GetByTestId("preference-functional").Locator("summary").FocusAsync();

        var order = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            order.Add(await page.EvaluateAsync<string>("() => `${document.activeElement.getAttribute('role') ?? document.activeElement.tagName.toLowerCase()}:${(document.activeElement.labels?.[0] ?? document.activeElement).textContent.trim()}`"));
            Assert.NotEqual("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));
        }

        var counts = (await Session.App.Services.GetRequiredService<CatalogueService>().GetCategoriesAsync()).Select(c => c.Cookies.Count).ToList();
        Assert.Equal(["switch:Analytics", $"summary:Cookies in this category ({counts[1]})", "switch:Social media + embedded videos",
            $"summary:Cookies in this category ({counts[2]})", "button:Save choices", "button:Accept all", "button:Reject all"], order);
    }
}
