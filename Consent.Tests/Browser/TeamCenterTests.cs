using Consent.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>The privacy-team center in a real Chromium: sign in, find a visitor's consent, sign out.</summary>
public class TeamCenterTests(BrowserSession session) : BrowserTest(session)
{
    private async Task<IPage> SignedInAdminAsync()
    {
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/admin");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GetByLabel("Email").FillAsync(ConsentAppFactory.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ConsentAppFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForRedirectAsync("/admin");
        await Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync(ConsentAppFactory.AdminEmail);
        await page.WaitUntilTeamCenterInteractiveAsync();
        return page;
    }

    [Fact]
    public async Task The_sign_in_page_has_no_accessibility_violations_and_sets_only_declared_cookies()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/account/login");

        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("; ", axe.Violations.Select(v => $"{v.Id}: {v.Help}")));
        await Expect(page.Locator("#cc-banner")).ToHaveCountAsync(0);
        var page2 = await SignedInAdminAsync();
        Assert.Equal(["cc_antiforgery", "cc_team"], (await page2.Context.CookiesAsync()).Select(c => c.Name).Order());
    }

    [Fact]
    public async Task An_admin_finds_a_visitors_consent_by_the_id_the_visitor_quotes_and_signs_out()
    {
        Session.RequireBrowser();
        var visitor = await Session.NewVisitorAsync();
        await visitor.GotoAsync("/");
        await visitor.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await visitor.WaitForChoiceSavedAsync();
        await visitor.GotoAsync("/preferences");
        var consentId = (await visitor.GetByTestId("current-decision").Locator("code").TextContentAsync())!.Trim();

        var page = await SignedInAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Consent log" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Consent log");
        await page.WaitUntilTeamCenterInteractiveAsync();
        await page.GetByLabel("Consent id or visitor id").FillAsync(consentId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        var history = page.GetByTestId("log-history");
        await Expect(history).ToContainTextAsync(consentId);
        await Expect(history).ToContainTextAsync("Accept all");
        await Expect(history).ToContainTextAsync("Version 1");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForRedirectAsync("/account/login?signedOut=true");
        await page.GotoAsync("/admin/log");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }
}
