using Bunit;
using Bunit.TestDoubles;
using Consent.App.Components.Admin;
using Consent.Core.Catalogue;
using Consent.Core.Policies;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Consent.Tests.Components;

public class PoliciesPageTests() : TeamPageTest(Admin, TeamRoles.Admin)
{
    private const string Admin = "privacy@example.org";
    private const string Summary = "We added a video supplier to Social media + embedded videos.";

    private IRenderedComponent<PoliciesPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<PoliciesPage>();
    }

    private static void TypeSummary(IRenderedComponent<PoliciesPage> cut, string text) =>
        cut.Find("textarea[data-testid=policy-summary]").Change(text);

    private static void Tick(IRenderedComponent<PoliciesPage> cut, string categoryKey) =>
        cut.Find($"input[type=checkbox][data-testid=changed-{categoryKey}]").Change(true);

    private static void Click(IRenderedComponent<PoliciesPage> cut, string text) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == text).Click();

    private async Task<int> VersionCountAsync()
    {
        await using var context = db.NewContext();
        return await context.PolicyVersions.CountAsync();
    }

    [Fact]
    public void The_list_shows_each_version_with_its_date_author_summary_and_changed_categories()
    {
        var cut = RenderPage();

        var row = cut.Find("[data-testid=policy-versions] tbody tr");
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Version 1", "2026-11-29 10:00", "system", "First published version of the cookie policy.", "—"], cells);
        Assert.Equal("/admin/policies/1", row.QuerySelector("a")!.GetAttribute("href"));
    }

    [Fact]
    public void Every_category_of_the_catalogue_can_be_ticked_as_changed()
    {
        var cut = RenderPage();

        Assert.Equal(["Functional", "Analytics", "Social media + embedded videos"],
            cut.FindAll("fieldset.policy-categories label").Select(l => l.TextContent.Trim()));
    }

    [Fact]
    public async Task A_summary_too_short_for_visitors_is_shown_under_the_field_and_nothing_is_published()
    {
        var cut = RenderPage();
        TypeSummary(cut, "Updated.");
        Tick(cut, "analytics");

        Click(cut, "Publish new version…");

        cut.WaitForAssertion(() => Assert.Contains("Write at least a full sentence (20 characters or more)",
            cut.Find("textarea[data-testid=policy-summary]").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=publish-confirmation]"));
        Assert.Equal(1, await VersionCountAsync());
    }

    [Fact]
    public async Task Without_a_changed_category_the_form_says_to_tick_one()
    {
        var cut = RenderPage();
        TypeSummary(cut, Summary);

        Click(cut, "Publish new version…");

        cut.WaitForAssertion(() => Assert.Equal("Tick at least one category that changed, so visitors know what to look at again.",
            cut.Find("[data-testid=changed-categories-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=publish-confirmation]"));
        Assert.Equal(1, await VersionCountAsync());
    }

    [Fact]
    public async Task Publishing_asks_for_confirmation_saying_every_visitor_is_asked_again()
    {
        var cut = RenderPage();
        TypeSummary(cut, Summary);
        Tick(cut, "social-media");

        Click(cut, "Publish new version…");

        var confirmation = cut.WaitForElement("[data-testid=publish-confirmation]");
        Assert.Contains("Publishing version 2 asks every visitor again", confirmation.TextContent);
        Assert.Contains("sees the cookie banner again", confirmation.TextContent);
        Assert.Equal(1, await VersionCountAsync());
    }

    [Fact]
    public async Task Cancelling_the_confirmation_publishes_nothing()
    {
        var cut = RenderPage();
        TypeSummary(cut, Summary);
        Tick(cut, "social-media");
        Click(cut, "Publish new version…");
        cut.WaitForElement("[data-testid=publish-confirmation]");

        Click(cut, "Cancel");

        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("[data-testid=publish-confirmation]")));
        Assert.Equal(1, await VersionCountAsync());
    }

    [Fact]
    public async Task Confirming_publishes_the_version_by_the_signed_in_admin_and_lists_it_first()
    {
        var cut = RenderPage();
        TypeSummary(cut, Summary);
        Tick(cut, "social-media");
        Tick(cut, "analytics");
        Click(cut, "Publish new version…");
        cut.WaitForElement("[data-testid=publish-confirmation]");

        Click(cut, "Publish version 2");

        cut.WaitForAssertion(() => Assert.Contains("Version 2 published", cut.Find("[data-testid=publish-done]").TextContent));
        var first = cut.Find("[data-testid=policy-versions] tbody tr").QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Version 2", Admin, Summary, "Analytics, Social media + embedded videos"], [first[0], first[2], first[3], first[4]]);
        var stored = await db.Get<PolicyService>().GetAsync(2);
        Assert.Equal((Admin, Summary), (stored!.Version.PublishedBy, stored.Version.Summary));
    }
}
