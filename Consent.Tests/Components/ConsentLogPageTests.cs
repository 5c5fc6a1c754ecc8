using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Consents;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using MudBlazor;

namespace Consent.Tests.Components;

public class ConsentLogPageTests() : TeamPageTest("analyst@example.org", TeamRoles.Analyst)
{
    protected override Dictionary<string, string?> ConsentSettings => new() { ["Sites:docs"] = "https://docs.example.org" };

    [Fact]
    public async Task A_visitors_history_says_which_site_each_choice_was_made_on()
    {
        var visitor = new VisitorContext(null, "en", "Firefox/128.0");
        var onSite = await db.Get<ConsentService>().RecordReceiptAsync(
            new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1, Site = "docs" }, visitor);
        db.Time.Advance(TimeSpan.FromMinutes(1));
        await db.Get<ConsentService>().RecordReceiptAsync(
            new() { Method = ConsentMethod.Withdrawal, Source = ConsentSource.PreferenceCenter, PolicyVersion = 1 },
            visitor with { ConsentCookie = onSite.CookieValue });
        bunit.Render<MudPopoverProvider>();
        var cut = bunit.Render<ConsentLogPage>();

        cut.Find("#log-query").Input(onSite.Record.VisitorId);
        cut.Find("[data-testid=log-search]").Submit();

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("[data-testid=log-history] tbody tr").Count));
        var sites = cut.FindAll("[data-testid=log-history] tbody td[data-label=Site]").Select(c => c.TextContent.Trim()).ToArray();
        Assert.Equal(["This center", "docs"], sites); // newest first
    }
}
