using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Consent.Tests.Browser;

/// <summary>
/// Screenshots of what a visitor sees, on a desktop and a phone. They go to a temporary folder;
/// with CONSENT_UPDATE_SCREENSHOTS=1 they replace the ones in docs/screenshots shown in the README.
/// </summary>
public class ScreenshotTests(BrowserSession session) : BrowserTest(session)
{
    public static TheoryData<string, string, int, int> Shots => new()
    {
        { "banner", "/", 1280, 800 }, { "banner", "/", 390, 844 },
        { "customize", "/?cc=customize", 1280, 1100 }, { "customize", "/?cc=customize", 390, 844 },
        { "preferences", "/preferences", 1280, 1000 }, { "preferences", "/preferences", 390, 844 },
    };

    [Theory]
    [MemberData(nameof(Shots))]
    public async Task A_screenshot_of_what_the_visitor_sees(string name, string path, int width, int height)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync();
        await page.SetViewportSizeAsync(width, height);
        if (name == "preferences")
        {
            // The preference center of a visitor who allowed Analytics (the journeys test making that choice).
            using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = new Uri(Session.BaseUrl) };
            // The version in force: another browser test may have published a newer one on this shared app.
            var version = (await Session.App.Services.GetRequiredService<PolicyService>().GetCurrentAsync()).Number;
            var choice = await http.PostChoiceAsync(VisitorRequests.BannerForm("custom", version, granted: "analytics"));
            await page.Context.AddCookiesAsync([new() { Name = ConsentCookie.Name, Value = choice.ConsentCookieValue(), Url = Session.BaseUrl }]);
        }
        await page.GotoAsync(path);

        var file = Path.Combine(Folder(), $"{name}-{(width < 600 ? "phone" : "desktop")}.png");
        await page.ScreenshotAsync(new() { Path = file });

        Assert.True(new FileInfo(file).Length > 10_000, $"{file} looks empty");
    }

    private static string Folder()
    {
        if (Environment.GetEnvironmentVariable("CONSENT_UPDATE_SCREENSHOTS") != "1")
        {
            return Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "consent-screenshots")).FullName;
        }
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Consent.sln"))) dir = dir.Parent;
        return Directory.CreateDirectory(Path.Combine(dir!.FullName, "docs", "screenshots")).FullName;
    }
}
