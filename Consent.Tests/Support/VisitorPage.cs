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
    /// Waits for the page a form post redirected to (its URL holding <paramref name="urlPart"/>) to be
    /// fully loaded. Polls the page's URL and the document's own readyState instead of waiting for a
    /// navigation event: on the loaded 2-core machine Playwright's navigation waits occasionally missed
    /// a redirect that had already happened, and never returned.
    /// </summary>
    public static async Task WaitForRedirectAsync(this IPage page, string urlPart)
    {
        var needle = urlPart.Trim('*');
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (page.Url.Contains(needle, StringComparison.Ordinal))
            {
                try
                {
                    if (await page.EvaluateAsync<string>("() => document.readyState") == "complete") return;
                }
                catch (PlaywrightException)
                {
                    // The document is being replaced: ask again.
                }
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"After 30 s the page is at {page.Url}, not at an address holding \"{needle}\".");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the page shown after a choice was recorded.</summary>
    public static Task WaitForChoiceSavedAsync(this IPage page) => page.WaitForRedirectAsync("**cc=saved**");

    /// <summary>Waits until a privacy-team page's interactive render has replaced the pre-rendered one.</summary>
    public static Task WaitUntilTeamCenterInteractiveAsync(this IPage page) => page.Locator("main[data-interactive=true]").WaitForAsync();
}
