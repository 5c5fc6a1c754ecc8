using Microsoft.Playwright;

namespace Consent.Tests.Support;

/// <summary>How the browser tests find things on a visitor page: by role and accessible name, as a person would.</summary>
public static class VisitorPage
{
    public static ILocator Banner(this IPage page) => page.GetByRole(AriaRole.Region, new() { Name = "We use cookies" });

    public static ILocator SiteLink(this IPage page, string name) =>
        page.GetByRole(AriaRole.Navigation, new() { Name = "Site" }).GetByRole(AriaRole.Link, new() { Name = name });

    public static ILocator FooterLink(this IPage page, string name) =>
        page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = name });

    /// <summary>
    /// Waits for the page a form post redirected to (its URL holding <paramref name="urlGlob"/>) to be
    /// fully loaded. Reads the document's own readyState: Playwright's load-event wait after a
    /// form post's redirect occasionally never returned on the loaded 2-core machine.
    /// </summary>
    public static async Task WaitForRedirectAsync(this IPage page, string urlGlob)
    {
        await page.WaitForURLAsync(urlGlob, new() { WaitUntil = WaitUntilState.Commit });
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
    }

    /// <summary>Waits for the page shown after a choice was recorded.</summary>
    public static Task WaitForChoiceSavedAsync(this IPage page) => page.WaitForRedirectAsync("**cc=saved**");

    /// <summary>Waits until the preference center's interactive render has replaced the pre-rendered page.</summary>
    public static Task WaitUntilInteractiveAsync(this IPage page) => page.Locator("form[data-interactive=true]").WaitForAsync();

    /// <summary>Waits until a privacy-team page's interactive render has replaced the pre-rendered one.</summary>
    public static Task WaitUntilTeamCenterInteractiveAsync(this IPage page) => page.Locator("main[data-interactive=true]").WaitForAsync();
}
