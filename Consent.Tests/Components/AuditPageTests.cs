using AngleSharp.Dom;
using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using MudBlazor;

namespace Consent.Tests.Components;

public class AuditPageTests() : TeamPageTest(Alice, TeamRoles.Admin)
{
    private const string Alice = "alice@example.org";
    private const string Bob = "bob@example.org";

    private IRenderedComponent<MudPopoverProvider> popovers = null!;

    /// <summary>Alice renames Gainsight, an hour later Bob edits the Analytics category.</summary>
    private async Task MakeTwoChangesAsync()
    {
        var catalogue = db.Get<CatalogueService>();
        var gainsight = (await catalogue.ListSuppliersAsync()).Single(s => s.Name == "Gainsight");
        await catalogue.RenameSupplierAsync(gainsight.Id, new SupplierInput { Name = "Gainsight Inc." }, Alice);
        db.Time.Advance(TimeSpan.FromHours(1));
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");
        var input = CategoryInput.From(analytics);
        input.Name = "Audience measurement";
        await catalogue.UpdateCategoryAsync(analytics.Id, input, Bob);
    }

    private IRenderedComponent<AuditPage> RenderPage()
    {
        popovers = bunit.Render<MudPopoverProvider>();
        return bunit.Render<AuditPage>();
    }

    /// <summary>Each row's first four cells (when, who, action, what) and its before/after table as (field, before, after).</summary>
    private static List<(string[] Cells, (string, string, string)[] Changes)> Rows(IRenderedComponent<AuditPage> cut) =>
        cut.FindAll("[data-testid=audit-grid] tbody tr.mud-table-row")
            .Select(r => (
                r.Children.Take(4).Select(c => c.TextContent.Trim()).ToArray(),
                r.QuerySelectorAll(".audit-changes tbody tr")
                    .Select(c => (c.Children[0].TextContent.Trim(), c.Children[1].TextContent.Trim(), c.Children[2].TextContent.Trim()))
                    .ToArray()))
            .ToList();

    private static void ChooseFilter(IRenderedComponent<AuditPage> cut, IRenderedComponent<MudPopoverProvider> popovers, string label, string option)
    {
        cut.FindAll("label").Single(l => l.TextContent.Trim() == label).Closest(".mud-input-control")!.MouseDown();
        popovers.WaitForAssertion(() => Assert.Contains(popovers.FindAll(".mud-list-item"), i => i.TextContent.Trim() == option));
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == option).Click();
    }

    [Fact]
    public async Task The_trail_lists_each_change_newest_first_with_who_what_and_the_fields_before_and_after()
    {
        await MakeTwoChangesAsync();

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));
        var (newest, oldest) = (Rows(cut)[0], Rows(cut)[1]);
        Assert.Equal(["2026-11-29 11:00:00", Bob, "category.update"], newest.Cells[..3]);
        Assert.Contains("Audience measurement", newest.Cells[3]);
        Assert.Equal([("Name", "Analytics", "Audience measurement")], newest.Changes);
        Assert.Equal(["2026-11-29 10:00:00", Alice, "supplier.rename"], oldest.Cells[..3]);
        Assert.Equal([("Name", "Gainsight", "Gainsight Inc.")], oldest.Changes);
    }

    [Fact]
    public async Task Choosing_a_kind_of_entity_shows_only_its_changes()
    {
        await MakeTwoChangesAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        ChooseFilter(cut, popovers, "What was changed", "Supplier");

        cut.WaitForAssertion(() => Assert.Equal("supplier.rename", Assert.Single(Rows(cut)).Cells[2]));
    }

    [Fact]
    public async Task Choosing_a_person_shows_only_their_changes()
    {
        await MakeTwoChangesAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(2, Rows(cut).Count));

        ChooseFilter(cut, popovers, "Who", Bob);

        cut.WaitForAssertion(() => Assert.Equal(Bob, Assert.Single(Rows(cut)).Cells[1]));
    }

    [Fact]
    public void An_empty_trail_says_so()
    {
        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Contains("No change has been recorded yet.", cut.Find("[data-testid=audit-grid]").TextContent));
    }
}
