using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Consent.Tests.Components;

public class GoogleConsentModeSettingsTests : IAsyncLifetime
{
    private const string Admin = "privacy@example.org";

    private readonly BunitContext bunit = new();
    private TestDatabase db = null!;

    public async ValueTask InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        bunit.UseTeamCenter(db, Admin, TeamRoles.Admin);
    }

    public async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        await db.DisposeAsync();
    }

    private IRenderedComponent<SettingsPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        var cut = bunit.Render<SettingsPage>();
        cut.WaitForElement("[data-testid=consent-mode-mapping] tbody tr");
        return cut;
    }

    /// <summary>The mapping table as "type → granted by" lines.</summary>
    private static List<string> MappingRows(IRenderedComponent<SettingsPage> cut) =>
        cut.FindAll("[data-testid=consent-mode-mapping] tbody tr")
            .Select(r => r.QuerySelector("th")!.TextContent.Trim() + " → " + r.QuerySelectorAll("td")[0].TextContent.Trim())
            .ToList();

    private static AngleSharp.Dom.IElement Radio(IRenderedComponent<SettingsPage> cut, string testId) =>
        cut.Find($"input[type=radio][data-testid={testId}]");

    [Fact]
    public void The_section_shows_the_mode_in_force_and_explains_each_mode_in_a_sentence()
    {
        var cut = RenderPage();

        Assert.True(Radio(cut, "mode-basic").HasAttribute("checked"));
        Assert.False(Radio(cut, "mode-advanced").HasAttribute("checked"));
        var section = cut.Find("[data-testid=google-consent-mode]").TextContent;
        Assert.Contains("Basic: Google's tags load only after the visitor consents", section);
        Assert.Contains("Advanced: Google's tags load at once with everything denied and send cookieless pings", section);
        Assert.Contains("Off: the site uses no Google tag", section);
    }

    [Fact]
    public void The_whole_mapping_is_shown_read_only_type_by_type()
    {
        var cut = RenderPage();

        Assert.Equal([
            "ad_storage → Social media + embedded videos",
            "ad_user_data → Social media + embedded videos",
            "ad_personalization → Social media + embedded videos",
            "analytics_storage → Analytics",
            "functionality_storage → Functional",
            "personalization_storage → Social media + embedded videos",
            "security_storage → Always granted",
        ], MappingRows(cut));
        Assert.Empty(cut.FindAll("[data-testid=consent-mode-mapping] input"));
    }

    [Fact]
    public async Task A_type_no_category_maps_is_shown_as_never_granted()
    {
        var catalogue = db.Get<CatalogueService>();
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");
        await catalogue.UpdateCategoryAsync(analytics.Id, new CategoryInput
        {
            Key = analytics.Key,
            Name = analytics.Name,
            Description = analytics.Description,
            Order = analytics.Order,
            GoogleConsentTypes = [],
        }, Admin);

        var cut = RenderPage();

        Assert.Contains("analytics_storage → Never: no category grants it", MappingRows(cut));
    }

    [Fact]
    public async Task Choosing_a_mode_and_saving_stores_it_for_the_signed_in_admin_with_an_audit_entry()
    {
        var cut = RenderPage();

        Radio(cut, "mode-advanced").Click();
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save Google Consent Mode").Click();

        cut.WaitForElement("[data-testid=consent-mode-saved]");
        Assert.Equal(GoogleConsentMode.Advanced, (await db.Get<GoogleConsentModeService>().GetAsync()).Mode);
        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync(e => e.EntityKey == "google-consent-mode");
        Assert.Equal((Admin, """{"GoogleConsentMode":"Advanced"}"""), (entry.Actor, entry.After));
    }
}
