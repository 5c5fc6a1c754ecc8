using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Policies;
using Consent.Core.PrivacyTeam;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Consent.Tests.Components;

public class SettingsPageTests() : TeamPageTest(Admin, TeamRoles.Admin)
{
    private const string Admin = "privacy@example.org";

    private IRenderedComponent<SettingsPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<SettingsPage>();
    }

    /// <summary>The page once its Google Consent Mode section has read the mapping.</summary>
    private IRenderedComponent<SettingsPage> RenderConsentModeSection()
    {
        var cut = RenderPage();
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

    private static void Enter(IRenderedComponent<SettingsPage> cut, string testId, int months) =>
        cut.Find($"input[data-testid={testId}]").Change(months.ToString());

    private static void Save(IRenderedComponent<SettingsPage> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save settings").Click();

    [Fact]
    public void The_form_shows_the_periods_in_force_and_no_warning()
    {
        var cut = RenderPage();

        Assert.Equal("6", cut.Find("input[data-testid=lifetime-months]").GetAttribute("value"));
        Assert.Equal("6", cut.Find("input[data-testid=refusal-months]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=settings-warning]"));
        Assert.Contains("by system", cut.Find("[data-testid=settings-last-change]").TextContent);
    }

    [Fact]
    public void A_re_ask_interval_under_six_months_shows_the_CNIL_warning_with_a_confirmation()
    {
        var cut = RenderPage();

        Enter(cut, "refusal-months", 3);

        var warning = cut.WaitForElement("[data-testid=settings-warning]");
        Assert.Contains("CNIL recommends not asking again for at least 6 months after a refusal.", warning.TextContent);
        Assert.NotNull(warning.QuerySelector("input[type=checkbox][data-testid=confirm-short-refusal]"));
    }

    [Fact]
    public async Task An_unconfirmed_short_re_ask_interval_is_not_saved_and_the_form_says_why()
    {
        var cut = RenderPage();
        Enter(cut, "refusal-months", 3);

        Save(cut);

        cut.WaitForAssertion(() => Assert.Equal("Confirm that visitors who refused are asked again sooner than CNIL recommends.",
            cut.Find("[data-testid=confirm-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=settings-saved]"));
        Assert.Equal(6, (await db.Get<ConsentSettingsService>().GetAsync()).RefusalLifetimeMonths);
    }

    [Fact]
    public async Task A_confirmed_short_re_ask_interval_is_saved_by_the_signed_in_admin()
    {
        var cut = RenderPage();
        Enter(cut, "refusal-months", 3);
        cut.WaitForElement("input[type=checkbox][data-testid=confirm-short-refusal]").Change(true);

        Save(cut);

        cut.WaitForElement("[data-testid=settings-saved]");
        var stored = await db.Get<ConsentSettingsService>().GetAsync();
        Assert.Equal((6, 3, Admin), (stored.LifetimeMonths, stored.RefusalLifetimeMonths, stored.UpdatedBy));
    }

    [Fact]
    public async Task A_lifetime_over_thirteen_months_is_an_error_under_the_field_and_nothing_is_saved()
    {
        var cut = RenderPage();
        Enter(cut, "lifetime-months", 14);

        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains("CNIL allows keeping a consent for at most 13 months; choose 13 or fewer.",
            cut.Find("input[data-testid=lifetime-months]").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=settings-saved]"));
        Assert.Equal(6, (await db.Get<ConsentSettingsService>().GetAsync()).LifetimeMonths);
    }

    [Fact]
    public async Task Six_months_or_more_saves_without_a_warning()
    {
        var cut = RenderPage();
        Enter(cut, "lifetime-months", 13);
        Enter(cut, "refusal-months", 7);

        Save(cut);

        cut.WaitForElement("[data-testid=settings-saved]");
        Assert.Empty(cut.FindAll("[data-testid=settings-warning]"));
        Assert.Equal(new ConsentPeriods(13, 7), (await db.Get<SnapshotService>().GetAsync()).Periods);
    }

    [Fact]
    public void The_section_shows_the_mode_in_force_and_explains_each_mode_in_a_sentence()
    {
        var cut = RenderConsentModeSection();

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
        var cut = RenderConsentModeSection();

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

        var cut = RenderConsentModeSection();

        Assert.Contains("analytics_storage → Never: no category grants it", MappingRows(cut));
    }

    [Fact]
    public async Task Choosing_a_mode_and_saving_stores_it_for_the_signed_in_admin_with_an_audit_entry()
    {
        var cut = RenderConsentModeSection();

        Radio(cut, "mode-advanced").Click();
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save Google Consent Mode").Click();

        cut.WaitForElement("[data-testid=consent-mode-saved]");
        Assert.Equal(GoogleConsentMode.Advanced, (await db.Get<SnapshotService>().GetAsync()).ConsentMode.Mode);
        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync(e => e.EntityKey == "google-consent-mode");
        Assert.Equal((Admin, """{"GoogleConsentMode":"Advanced"}"""), (entry.Actor, entry.After));
    }
}
