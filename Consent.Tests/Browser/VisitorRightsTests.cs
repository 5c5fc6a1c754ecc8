using System.Text.Json;
using System.Text.RegularExpressions;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>A visitor downloads, then erases, their consent history from the preference center, with JavaScript on and off.</summary>
public class VisitorRightsTests(BrowserSession session) : BrowserTest(session)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_visitor_downloads_then_erases_their_history_from_the_preference_center(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/preferences");
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Accept all" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("saved");
        var record = Assert.Single(await Session.RecordsOfAsync(page));

        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download my consent history" }).ClickAsync());
        using var history = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        await page.GetByRole(AriaRole.Link, new() { Name = "Erase my consent history" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Erase your consent history");
        await page.GetByRole(AriaRole.Button, new() { Name = "Yes, erase my consent history" }).ClickAsync();

        Assert.Equal("consent-history.json", download.SuggestedFilename);
        Assert.Equal(record.Id.ToString("D"), Assert.Single(history.RootElement.GetProperty("records").EnumerateArray()).GetProperty("consentId").GetString());
        await Expect(page).ToHaveURLAsync(new Regex("/preferences/erased\\?outcome="));
        await Expect(page.GetByTestId("erased-done")).ToContainTextAsync("Records unlinked from you: 1.");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == ConsentCookie.Name);
        await Expect(page.Banner()).ToBeVisibleAsync();
        await using var db = await Session.App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var stored = await db.ConsentRecords.AsNoTracking().SingleAsync(r => r.Id == record.Id);
        Assert.Null(stored.VisitorId);
        var erasure = await db.ConsentRecords.AsNoTracking().Where(r => r.Method == ConsentMethod.Erasure).OrderBy(r => r.LogIndex).LastAsync();
        await Expect(page.GetByTestId("erased-done")).ToContainTextAsync(erasure.Id.ToString("D"));
    }
}
