using AngleSharp.Dom;
using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using MudBlazor;

namespace Consent.Tests.Components;

public class CatalogueCategoryMappingTests : IAsyncLifetime
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

    private IRenderedComponent<CataloguePage> RenderCategoriesTab()
    {
        bunit.Render<MudPopoverProvider>();
        bunit.Render<MudDialogProvider>();
        var cut = bunit.Render<CataloguePage>();
        cut.WaitForElement("[data-testid=cookie-grid]");
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim().StartsWith("Categories")).Click();
        cut.WaitForElement("[data-testid=category-grid]");
        return cut;
    }

    private static IElement Button(IRenderedComponent<CataloguePage> cut, string label) =>
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == label || b.TextContent.Trim() == label);

    /// <summary>The checkbox of one Google consent type in the category form, found by its visible label.</summary>
    private static IElement TypeBox(IRenderedComponent<CataloguePage> cut, string type) =>
        cut.FindAll("[data-testid=google-consent-types] label").Single(l => l.TextContent.Trim().StartsWith(type + ":")).QuerySelector("input[type=checkbox]")!;

    private static string GridRow(IRenderedComponent<CataloguePage> cut, string name) =>
        cut.FindAll("[data-testid=category-grid] tbody tr").Single(r => r.TextContent.Contains(name)).TextContent;

    [Fact]
    public void The_grid_shows_each_categorys_google_consent_types()
    {
        var cut = RenderCategoriesTab();

        Assert.Contains("analytics_storage", GridRow(cut, "Analytics"));
        Assert.Contains("ad_storage, ad_user_data, ad_personalization, personalization_storage", GridRow(cut, "Social media + embedded videos"));
    }

    [Fact]
    public void The_form_offers_the_seven_types_with_the_categorys_own_ticked()
    {
        var cut = RenderCategoriesTab();

        Button(cut, "Edit category Analytics").Click();

        Assert.Equal(GoogleConsentTypes.All.Count, cut.FindAll("[data-testid=google-consent-types] input[type=checkbox]").Count);
        Assert.True(TypeBox(cut, "analytics_storage").HasAttribute("checked"));
        Assert.False(TypeBox(cut, "ad_storage").HasAttribute("checked"));
    }

    [Fact]
    public async Task Ticking_and_unticking_types_saves_the_mapping_and_the_grid_shows_it()
    {
        var cut = RenderCategoriesTab();
        Button(cut, "Edit category Analytics").Click();

        TypeBox(cut, "personalization_storage").Change(true);
        TypeBox(cut, "analytics_storage").Change(false);
        TypeBox(cut, "ad_user_data").Change(true);
        Button(cut, "Save category").Click();

        cut.WaitForAssertion(() => Assert.Contains("Saved the category “Analytics”", cut.Find("[data-testid=categories-status]").TextContent));
        var stored = (await db.Get<CatalogueService>().ListCategoriesAsync()).Single(c => c.Key == "analytics");
        Assert.Equal(["ad_user_data", "personalization_storage"], stored.GoogleConsentTypes);
        Assert.Equal(["ad_user_data", "personalization_storage"], (await db.Get<GoogleConsentModeService>().GetAsync()).Types["analytics"]);
        Assert.Contains("ad_user_data, personalization_storage", GridRow(cut, "Analytics"));
    }
}
