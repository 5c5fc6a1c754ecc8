using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Tests.Support;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>"Download my receipt" on the preference center, in a real Chromium: a file that verifies with the key <c>/log/key</c> serves.</summary>
public class ReceiptDownloadTests(BrowserSession session) : BrowserTest(session)
{
    private async Task<List<NoteVerifier>> ServedKeysAsync()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Session.BaseUrl) };
        var text = await http.GetStringAsync("/log/key");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(NoteVerifier.Parse)];
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_receipt_link_downloads_a_receipt_of_the_choice_that_verifies_offline(bool javaScript)
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript);
        await page.GotoAsync("/preferences");
        await Expect(page.GetByTestId("download-receipt")).ToHaveCountAsync(0);
        await page.Banner().GetByRole(AriaRole.Button, new() { Name = "Reject all" }).ClickAsync();
        await page.GotoAsync("/preferences");

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download my receipt" }).ClickAsync());
        var verified = ReceiptVerifier.Verify(await File.ReadAllBytesAsync((await download.PathAsync())!), await ServedKeysAsync());

        var record = Assert.Single(await Session.RecordsOfAsync(page));
        Assert.Equal($"consent-receipt-{record.Id:D}.json", download.SuggestedFilename);
        Assert.Equal(record.Id, verified.ConsentId);
        Assert.Equal(["functional"], verified.Purposes.Where(p => p.Granted).Select(p => p.CategoryKey));
    }

    [Fact]
    public async Task The_receipt_link_is_in_french_for_a_french_visitor()
    {
        Session.RequireBrowser();
        var page = await Session.NewVisitorAsync(javaScript: false, locale: "fr-FR");
        await page.GotoAsync("/preferences");

        await page.Locator("#cc-banner").GetByRole(AriaRole.Button, new() { Name = "Tout accepter" }).ClickAsync();
        await page.GotoAsync("/preferences");

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Télécharger mon reçu" })).ToBeVisibleAsync();
    }
}
