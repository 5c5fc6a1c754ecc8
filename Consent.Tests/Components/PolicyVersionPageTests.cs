using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Policies;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Components;

public class PolicyVersionPageTests() : TeamPageTest("analyst@example.org", TeamRoles.Analyst)
{
    [Fact]
    public async Task A_version_lists_the_catalogue_edits_made_while_it_was_in_force_and_only_those()
    {
        var catalogue = db.Get<Consent.Core.Catalogue.CatalogueService>();
        var locale = (await catalogue.ListCookiesAsync()).Single(c => c.Name == "Locale");
        db.Time.Advance(TimeSpan.FromHours(1));
        await catalogue.UpdateCookieAsync(locale.Id, new Consent.Core.Catalogue.CookieInput
        {
            SupplierName = "Gainsight",
            Name = "Locale",
            CategoryKey = "functional",
            Duration = "5 years",
            Function = "Remembers your language.",
        }, "privacy@example.org");
        db.Time.Advance(TimeSpan.FromHours(1));
        await db.Get<PolicyService>().PublishAsync(
            new PolicyPublication { Summary = "We explain the Locale cookie in plain words.", ChangedCategories = ["functional"] }, "privacy@example.org");

        var first = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 1));
        var edits = first.Find("[data-testid=policy-edits]").TextContent;
        Assert.Contains("Remembers your language.", edits);
        Assert.Contains("privacy@example.org", edits);

        var second = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 2));
        Assert.Empty(second.FindAll("[data-testid=policy-edits]"));
        Assert.NotEmpty(second.FindAll("[data-testid=policy-edits-none]"));
    }

    [Fact]
    public async Task A_past_version_shows_its_summary_and_the_cookies_as_they_were_published()
    {
        await db.Get<PolicyService>().PublishAsync(
            new PolicyPublication { Summary = "We added a video supplier to Social media.", ChangedCategories = ["social-media"] }, "privacy@example.org");
        await using (var context = db.NewContext())
        {
            (await context.Cookies.SingleAsync(c => c.Name == "insights-store")).Function = "Rewritten after publication.";
            await context.SaveChangesAsync();
        }

        var cut = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 2));

        Assert.Equal("Policy version 2", cut.Find("h1").TextContent.Trim());
        Assert.Equal("We added a video supplier to Social media.", cut.Find("[data-testid=policy-summary]").TextContent.Trim());
        Assert.Contains("29 November 2026, 10:00 UTC by privacy@example.org", cut.Find("[data-testid=policy-facts]").TextContent);
        var social = cut.Find("[data-testid=snapshot-social-media]");
        Assert.Equal("Social media + embedded videos cookies", social.QuerySelector("caption")!.TextContent.Trim());
        Assert.Contains("This cookie is used to determine which products the visitor has viewed", social.QuerySelector("table")!.TextContent);
        Assert.DoesNotContain("Rewritten after publication.", cut.Markup);
        Assert.Equal(3, cut.FindAll("table.cookie-table").Count);
    }

    [Fact]
    public void An_analyst_reading_a_version_is_not_offered_the_admin_only_list()
    {
        var cut = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 1));

        Assert.Equal("First published version of the cookie policy.", cut.Find("[data-testid=policy-summary]").TextContent.Trim());
        Assert.DoesNotContain(cut.FindAll("a"), a => a.GetAttribute("href") == "/admin/policies");
    }

    [Fact]
    public void An_admin_reading_a_version_can_go_back_to_the_list()
    {
        auth.SetRoles(TeamRoles.Admin);
        auth.SetPolicies(TeamPolicies.Manage);

        var cut = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 1));

        Assert.Contains(cut.FindAll("a"), a => a.GetAttribute("href") == "/admin/policies");
    }

    [Fact]
    public void A_version_that_does_not_exist_says_so()
    {
        var cut = bunit.Render<PolicyVersionPage>(p => p.Add(c => c.Number, 9));

        Assert.Equal("There is no policy version 9.", cut.Find("[data-testid=policy-missing]").TextContent.Trim());
    }
}
