using System.Text.RegularExpressions;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// The center's Content-Security-Policy and Permissions-Policy in a real Chromium: no page of the center is refused
/// anything it needs (Chromium reports every refusal), the interactive pages still work, and only the center frames its embed.
/// </summary>
public class ContentSecurityPolicyTests(BrowserSession session) : BrowserTest(session)
{
    /// <summary>
    /// A visitor whose browser reports every policy refusal: Chromium's own console messages ("Refused to …", header
    /// errors) and the <c>securitypolicyviolation</c> events of every document, its frames included.
    /// </summary>
    private async Task<(IPage Page, List<string> Refusals)> WatchedVisitorAsync(string? locale = null)
    {
        var page = await Session.NewVisitorAsync(locale: locale);
        var refusals = new List<string>();
        // Playwright's init scripts are not subject to the page's policy, so the listener is there before anything is refused.
        await page.Context.AddInitScriptAsync(
            "document.addEventListener('securitypolicyviolation', e => console.error(`securitypolicyviolation: ${e.violatedDirective} ${e.blockedURI} at ${e.documentURI}`));");
        page.Console += (_, message) =>
        {
            if (Regex.IsMatch(message.Text, "Refused to|securitypolicyviolation|Content Security Policy|Permissions-Policy|Permissions policy"))
            {
                lock (refusals) refusals.Add($"{page.Url}: {message.Text}");
            }
        };
        return (page, refusals);
    }

    private static void AssertNoRefusals(List<string> refusals)
    {
        lock (refusals) Assert.True(refusals.Count == 0, string.Join("\n", refusals));
    }

    [Fact]
    public async Task The_visitor_pages_in_both_languages_load_everything_they_need_and_nothing_is_refused()
    {
        Session.RequireBrowser();
        var (page, refusals) = await WatchedVisitorAsync();

        foreach (var path in new[] { "/", "/?cc=customize", "/cookies", "/privacy", "/embed/video", "/no-such-page" }) await page.GotoAsync(path);
        await page.GotoAsync("/preferences");
        await page.GetByRole(AriaRole.Switch, new() { Name = "Social media + embedded videos" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save choices" }).ClickAsync();
        await page.WaitForChoiceSavedAsync();
        await page.GotoAsync("/");
        var (french, frenchRefusals) = await WatchedVisitorAsync(locale: "fr-FR");
        foreach (var path in new[] { "/", "/cookies", "/privacy", "/no-such-page" }) await french.GotoAsync(path);
        await french.GotoAsync("/preferences");

        // The Consent Mode script ran (its hash is allowed), and the home page frames the center's own player.
        Assert.Equal("consent", await page.EvaluateAsync<string>("() => Array.from(window.dataLayer[0])[0]"));
        await Expect(page.FrameLocator("iframe.embed-video").GetByText("Community video")).ToBeVisibleAsync();
        Assert.Equal("fr", await french.Locator("html").GetAttributeAsync("lang"));
        AssertNoRefusals(refusals);
        AssertNoRefusals(frenchRefusals);
    }

    [Fact]
    public async Task The_team_center_works_under_its_policy_and_nothing_is_refused()
    {
        Session.RequireBrowser();
        var (page, refusals) = await WatchedVisitorAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(ConsentAppFactory.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ConsentAppFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForRedirectAsync("/admin");

        foreach (var path in new[] { "/admin", "/admin/catalogue", "/admin/policies", "/admin/policies/1", "/admin/settings", "/admin/audit", "/admin/accounts", "/admin/password", "/admin/log" })
        {
            await page.GotoAsync(path);
            await page.WaitUntilTeamCenterInteractiveAsync();
        }
        await page.GetByLabel("Consent id or visitor id").FillAsync("not an id");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        // The circuit answers: the search's message comes from the server over the WebSocket.
        await Expect(page.GetByText("Enter a consent id")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Cookie catalogue" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Cookie catalogue");
        await page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Categories") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Categories"), Selected = true })).ToBeVisibleAsync();
        AssertNoRefusals(refusals);
    }

    [Fact]
    public async Task Another_site_cannot_frame_the_center_nor_its_embed()
    {
        Session.RequireBrowser();
        var (page, refusals) = await WatchedVisitorAsync();
        var framing = Session.EmbeddingSite.Serve("/frames", $"""
            <!doctype html><title>Framing</title>
            <iframe id="home" src="{Session.BaseUrl}/"></iframe>
            <iframe id="embed" src="{Session.BaseUrl}/embed/video"></iframe>
            """);

        await page.GotoAsync(framing);

        await Expect(page.FrameLocator("#home").GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveCountAsync(0);
        await Expect(page.FrameLocator("#embed").GetByText("Community video")).ToHaveCountAsync(0);
        // Chromium says why, once for each frame.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (Refused("frame-ancestors 'none'") + Refused("frame-ancestors 'self'") < 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.True(Refused("frame-ancestors 'none'") == 1 && Refused("frame-ancestors 'self'") == 1, string.Join("\n", refusals));

        int Refused(string directive)
        {
            lock (refusals) return refusals.Count(r => r.Contains($"Framing '{Session.BaseUrl}/' violates") && r.Contains(directive));
        }
    }
}
