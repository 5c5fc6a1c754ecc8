using Consent.Core.Members;
using Consent.Tests.Support;
using Deque.AxeCore.Playwright;
using Microsoft.Extensions.DependencyInjection;
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
        var version = (await Session.App.Services.GetRequiredService<Consent.Core.Policies.PolicyService>().GetCurrentAsync()).Number;
        await Expect(history).ToContainTextAsync($"Version {version}");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForRedirectAsync("/account/login?signedOut=true");
        await page.GotoAsync("/admin/log");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    [Fact]
    public async Task An_admin_edits_a_cookie_for_the_cookie_policy_and_publishes_a_version_that_asks_visitors_again()
    {
        Session.RequireBrowser();
        var visitor = await Session.NewVisitorAsync();
        await visitor.GotoAsync("/");
        await visitor.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await visitor.WaitForChoiceSavedAsync();

        var page = await SignedInAdminAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Cookie catalogue" }).ClickAsync();
        // The previous page's main was interactive already: wait for the catalogue itself before clicking in it.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cookie catalogue");
        await page.WaitUntilTeamCenterInteractiveAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Edit Locale by Gainsight" }).ClickAsync();
        var function = page.GetByTestId("cookie-editor").GetByLabel("Function");
        const string newText = "Remembers the language you chose for the community pages.";
        await function.FillAsync(newText);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save cookie" }).ClickAsync();
        await Expect(page.GetByTestId("cookie-grid")).ToContainTextAsync(newText);

        await visitor.GotoAsync("/cookies");
        await Expect(visitor.GetByRole(AriaRole.Main)).ToContainTextAsync(newText);
        await Expect(visitor.Banner()).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Link, new() { Name = "Policy versions" }).ClickAsync();
        await page.WaitUntilTeamCenterInteractiveAsync();
        const string summary = "We now explain in plain words what the Locale cookie remembers.";
        await page.GetByLabel("What changed (visitors read this in the banner)").FillAsync(summary);
        await page.GetByRole(AriaRole.Group, new() { Name = "Categories that changed" }).GetByRole(AriaRole.Checkbox, new() { Name = "Functional" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish new version…" }).ClickAsync();
        var publish = page.GetByTestId("publish-confirmation").GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Publish version \\d+$") });
        await publish.ClickAsync();
        await Expect(page.GetByTestId("publish-done")).ToBeVisibleAsync();

        await visitor.GotoAsync("/");
        await Expect(visitor.Banner()).ToBeVisibleAsync();
        await Expect(visitor.Banner()).ToContainTextAsync(summary);
    }

    private static async Task<long> MetricAsync(IPage page, string id) =>
        long.Parse((await page.GetByTestId($"metric-{id}").GetByTestId("value").TextContentAsync())!.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task The_dashboard_counts_three_visitors_choices_live_with_the_right_split()
    {
        Session.RequireBrowser();
        var page = await SignedInAdminAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Consent statistics");
        var before = new Dictionary<string, long>();
        foreach (var id in new[] { "decisions", "accept-all", "reject-all", "custom" }) before[id] = await MetricAsync(page, id);

        foreach (var button in new[] { "Accept all", "Reject all", "Customize" })
        {
            var visitor = await Session.NewVisitorAsync(javaScript: false);
            await visitor.GotoAsync("/");
            await visitor.Banner().GetByRole(AriaRole.Button, new() { Name = button }).ClickAsync();
            if (button == "Customize")
            {
                await visitor.WaitForRedirectAsync("cc=customize");
                await visitor.GetByRole(AriaRole.Checkbox, new() { Name = "Analytics" }).CheckAsync();
                await visitor.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
            }
            await visitor.WaitForChoiceSavedAsync();
        }

        // No reload: the open dashboard hears of the new records.
        await Expect(page.GetByTestId("metric-decisions").GetByTestId("value")).ToHaveTextAsync((before["decisions"] + 3).ToString("N0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(before["accept-all"] + 1, await MetricAsync(page, "accept-all"));
        Assert.Equal(before["reject-all"] + 1, await MetricAsync(page, "reject-all"));
        Assert.Equal(before["custom"] + 1, await MetricAsync(page, "custom"));
    }

    [Fact]
    public async Task An_admin_finds_a_member_by_email_opens_them_and_the_members_page_has_no_accessibility_violations()
    {
        Session.RequireBrowser();
        var member = await Session.App.Services.AddMemberAsync("grace-" + Guid.NewGuid().ToString("N")[..8], $"grace.{Guid.NewGuid():N}@example.org", company: "Navy");
        await Session.App.Services.OptInAsync(member, CommunicationPurposes.Newsletter);
        var page = await SignedInAdminAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Members", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Members");
        await page.WaitUntilTeamCenterInteractiveAsync();
        await page.GetByLabel("Username, e-mail or company").FillAsync(member.Email.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = $"Open {member.UserName}" }).ClickAsync();

        await Expect(page.GetByTestId("member-name")).ToHaveTextAsync(member.UserName);
        await Expect(page.GetByTestId("communication-newsletter")).ToContainTextAsync("Yes");
        var axe = await page.RunAxe();
        Assert.True(axe.Violations.Length == 0, string.Join("; ", axe.Violations.Select(v => $"{v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Select(n => n.Html))})")));
    }
}
