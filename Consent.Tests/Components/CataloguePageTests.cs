using AngleSharp.Dom;
using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.PrivacyTeam;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace Consent.Tests.Components;

public class CataloguePageTests() : TeamPageTest(Admin, TeamRoles.Admin)
{
    private const string Admin = "privacy@example.org";

    private IRenderedComponent<MudDialogProvider> dialogs = null!;
    private IRenderedComponent<MudPopoverProvider> popovers = null!;

    private IRenderedComponent<CataloguePage> RenderPage()
    {
        popovers = bunit.Render<MudPopoverProvider>();
        dialogs = bunit.Render<MudDialogProvider>();
        var cut = bunit.Render<CataloguePage>();
        cut.WaitForElement("[data-testid=cookie-grid]");
        return cut;
    }

    private static IElement Button(IRenderedComponent<IComponent> cut, string label) =>
        cut.FindAll("button").Single(b => b.GetAttribute("aria-label") == label || b.TextContent.Trim() == label);

    /// <summary>The input or textarea a visible label names.</summary>
    private static IElement Field(IRenderedComponent<IComponent> cut, string label)
    {
        var forId = cut.FindAll("label").Single(l => l.TextContent.Trim() == label).GetAttribute("for");
        return cut.Find($"[id='{forId}']");
    }

    /// <summary>The message under a field, as assistive technology reads it (the field is marked invalid and described by it).</summary>
    private static string? FieldMessage(IRenderedComponent<IComponent> cut, string label)
    {
        var field = Field(cut, label);
        return field.GetAttribute("aria-invalid") == "true"
            ? cut.Find($"[id='{field.GetAttribute("aria-describedby")}']").TextContent.Trim()
            : null;
    }

    private static IReadOnlyList<string> GridRows(IRenderedComponent<IComponent> cut, string grid) =>
        cut.FindAll($"[data-testid={grid}] tbody tr").Select(r => r.TextContent).ToList();

    private static void OpenTab(IRenderedComponent<IComponent> cut, string name) =>
        cut.FindAll(".mud-tab").Single(t => t.TextContent.Trim().StartsWith(name)).Click();

    private IRenderedComponent<CataloguePage> RenderCategoriesTab()
    {
        var cut = RenderPage();
        OpenTab(cut, "Categories");
        cut.WaitForElement("[data-testid=category-grid]");
        return cut;
    }

    /// <summary>The checkbox of one Google consent type in the category form, found by its visible label.</summary>
    private static IElement TypeBox(IRenderedComponent<IComponent> cut, string type) =>
        cut.FindAll("[data-testid=google-consent-types] label").Single(l => l.TextContent.Trim().StartsWith(type + ":")).QuerySelector("input[type=checkbox]")!;

    private static string GridRow(IRenderedComponent<IComponent> cut, string name) =>
        GridRows(cut, "category-grid").Single(r => r.Contains(name));

    private async Task<CookieRow> StoredCookieAsync(string name) =>
        (await db.Get<CatalogueService>().ListCookiesAsync()).Single(c => c.Name == name);

    [Fact]
    public void The_cookie_grid_lists_the_seeded_cookies_and_offers_no_edit_for_the_centers_own()
    {
        var cut = RenderPage();

        var rows = GridRows(cut, "cookie-grid");
        Assert.Equal(9, rows.Count); // the 4 seeded cookies and the center's own 5 (consent, antiforgery, team session, member session, language)
        Assert.Contains(rows, r => r.Contains("Gainsight") && r.Contains("Locale") && r.Contains("5 years"));
        Assert.Contains(rows, r => r.Contains("_gid (Google Analytics)") && r.Contains("Analytics") && r.Contains("24 hours"));
        Assert.Contains(rows, r => r.Contains(ConsentCookie.Name) && r.Contains(CenterCookies.Supplier));
        Assert.NotNull(Button(cut, "Edit Locale by Gainsight"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.GetAttribute("aria-label")?.Contains(ConsentCookie.Name) == true);
    }

    [Fact]
    public async Task Editing_a_cookies_function_in_the_form_saves_it_and_the_grid_shows_it()
    {
        var cut = RenderPage();
        Button(cut, "Edit _gid (Google Analytics) by Gainsight").Click();

        Field(cut, "Function").Change("Counts visits without identifying the visitor.");
        Button(cut, "Save cookie").Click();

        cut.WaitForAssertion(() => Assert.Contains("Saved the cookie “_gid (Google Analytics)”", cut.Find("[data-testid=cookies-status]").TextContent));
        Assert.Equal("Counts visits without identifying the visitor.", (await StoredCookieAsync("_gid (Google Analytics)")).Function);
        Assert.Contains(GridRows(cut, "cookie-grid"), r => r.Contains("Counts visits without identifying the visitor."));
        Assert.Empty(cut.FindAll("[data-testid=cookie-editor]"));
    }

    [Fact]
    public async Task An_empty_function_shows_the_validators_message_under_the_field_and_saves_nothing()
    {
        var cut = RenderPage();
        var before = await StoredCookieAsync("_gid (Google Analytics)");
        Button(cut, "Edit _gid (Google Analytics) by Gainsight").Click();

        Field(cut, "Function").Change("");
        Button(cut, "Save cookie").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "Describe what the cookie is used for; visitors read this in the cookie policy.",
            FieldMessage(cut, "Function")));
        Assert.Equal(before, await StoredCookieAsync("_gid (Google Analytics)"));
        Assert.Empty(cut.FindAll("[data-testid=cookies-status]"));
    }

    [Fact]
    public async Task A_cookie_name_the_supplier_already_uses_is_refused_under_the_name_field()
    {
        var cut = RenderPage();
        var count = (await db.Get<CatalogueService>().ListCookiesAsync()).Count;
        Button(cut, "Add cookie").Click();

        Field(cut, "Supplier").Change("gainsight");
        Field(cut, "Cookie name").Change("LOCALE");
        Field(cut, "Duration").Change("1 year");
        Field(cut, "Function").Change("A second Locale cookie.");
        Button(cut, "Save cookie").Click();

        cut.WaitForAssertion(() => Assert.Equal("gainsight already has a cookie named \"LOCALE\" in the catalogue.", FieldMessage(cut, "Cookie name")));
        Assert.Equal(count, (await db.Get<CatalogueService>().ListCookiesAsync()).Count);
    }

    [Fact]
    public async Task Deleting_a_cookie_asks_for_confirmation_then_removes_it_from_the_grid()
    {
        var cut = RenderPage();

        Button(cut, "Delete insights-store by Gainsight").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("“insights-store” by Gainsight will no longer be listed", dialogs.Markup));
        Button(dialogs, "Delete cookie").Click();

        cut.WaitForAssertion(() => Assert.Equal("Deleted the cookie “insights-store”.", cut.Find("[data-testid=cookies-status]").TextContent.Trim()));
        Assert.DoesNotContain(GridRows(cut, "cookie-grid"), r => r.Contains("insights-store"));
        Assert.DoesNotContain(await db.Get<CatalogueService>().ListCookiesAsync(), c => c.Name == "insights-store");
    }

    [Fact]
    public async Task A_cookie_another_member_deleted_meanwhile_is_reported_and_the_grid_reads_the_catalogue_again()
    {
        var cut = RenderPage();
        var stale = (await db.Get<CatalogueService>().ListCookiesAsync()).Single(c => c.Name == "insights-store");
        await db.Get<CatalogueService>().DeleteCookieAsync(stale.Id, "colleague@example.org");

        Button(cut, "Delete insights-store by Gainsight").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("“insights-store” by Gainsight will no longer be listed", dialogs.Markup));
        Button(dialogs, "Delete cookie").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("Someone else changed the catalogue at the same moment", cut.Find("[data-testid=cookies-status]").TextContent.Trim()));
        cut.WaitForAssertion(() => Assert.DoesNotContain(GridRows(cut, "cookie-grid"), r => r.Contains("insights-store")));
    }

    [Fact]
    public async Task Deleting_a_category_with_cookies_asks_where_they_go_and_moves_them()
    {
        var cut = RenderPage();
        OpenTab(cut, "Categories");

        Button(cut, "Delete category Analytics").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("“Analytics” has 1 cookie.", dialogs.Markup));
        dialogs.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains("Social media + embedded videos", popovers.Markup));
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "Social media + embedded videos").Click();
        dialogs.WaitForAssertion(() => Assert.False(Button(dialogs, "Move cookies and delete").HasAttribute("disabled")));
        Button(dialogs, "Move cookies and delete").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "Moved the cookies of “Analytics” to “Social media + embedded videos” and deleted the category.",
            cut.Find("[data-testid=categories-status]").TextContent.Trim()));
        Assert.DoesNotContain(GridRows(cut, "category-grid"), r => r.Contains("analytics"));
        Assert.Equal("social-media", (await StoredCookieAsync("_gid (Google Analytics)")).CategoryKey);
    }

    [Fact]
    public async Task Deleting_the_required_category_shows_why_it_is_refused()
    {
        var cut = RenderPage();
        OpenTab(cut, "Categories");

        Button(cut, "Delete category Functional").Click();

        cut.WaitForAssertion(() => Assert.Equal(
            "“Functional” is always on (required), so it cannot be deleted.",
            cut.Find("[data-testid=categories-status]").TextContent.Trim()));
        Assert.Contains(await db.Get<CatalogueService>().ListCategoriesAsync(), c => c.Key == "functional");
    }

    [Fact]
    public async Task Renaming_a_supplier_to_another_ones_name_shows_the_message_under_the_field()
    {
        await db.Get<CatalogueService>().AddCookieAsync(new CookieInput
        {
            SupplierName = "Vimeo",
            Name = "vuid",
            CategoryKey = "social-media",
            Duration = "2 years",
            Function = "Remembers which videos the visitor watched.",
        }, Admin);
        var cut = RenderPage();
        OpenTab(cut, "Suppliers");

        Button(cut, "Rename supplier Vimeo").Click();
        Field(cut, "Supplier name").Change("GAINSIGHT");
        Button(cut, "Save name").Click();

        cut.WaitForAssertion(() => Assert.Equal("Another supplier is already named \"GAINSIGHT\".", FieldMessage(cut, "Supplier name")));
        Assert.Contains(await db.Get<CatalogueService>().ListSuppliersAsync(), s => s.Name == "Vimeo");
    }

    [Fact]
    public void The_center_as_supplier_is_listed_without_rename_or_delete()
    {
        var cut = RenderPage();

        OpenTab(cut, "Suppliers");

        Assert.Contains(GridRows(cut, "supplier-grid"), r => r.Contains(CenterCookies.Supplier));
        Assert.NotNull(Button(cut, "Rename supplier Gainsight"));
        Assert.DoesNotContain(cut.FindAll("button"), b => b.GetAttribute("aria-label")?.Contains(CenterCookies.Supplier) == true);
    }

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
        Assert.Equal(["ad_user_data", "personalization_storage"], (await db.Get<SnapshotService>().GetAsync()).ConsentMode.Types["analytics"]);
        Assert.Contains("ad_user_data, personalization_storage", GridRow(cut, "Analytics"));
    }
}
