using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Consent.Tests.Components;

public class MembersPageTests() : TeamPageTest(Alice, TeamRoles.Admin)
{
    private const string Alice = "alice@example.org";

    protected override void Arrange()
    {
        base.Arrange();
        auth.SetPolicies(TeamPolicies.Manage);
    }

    private IRenderedComponent<MembersPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<MembersPage>();
    }

    private static List<string[]> Results(IRenderedComponent<MembersPage> cut) =>
        cut.FindAll("[data-testid=member-results] tbody tr.mud-table-row").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()).ToList();

    private static void Search(IRenderedComponent<MembersPage> cut, string text)
    {
        cut.Find("#member-query").Input(text);
        cut.Find("[data-testid=member-search]").Submit();
    }

    private static string[] Row(IRenderedComponent<MembersPage> cut, string testId) =>
        cut.Find($"[data-testid={testId}]").Children.Select(c => c.TextContent.Trim()).ToArray();

    private async Task<int> ViewsAuditedAsync(string memberId)
    {
        await using var context = db.NewContext();
        return await context.AuditEntries.CountAsync(a => a.Action == MemberDirectory.ViewAction && a.EntityType == "Member" && a.EntityKey == memberId && a.Actor == Alice);
    }

    [Fact]
    public async Task Searching_part_of_an_email_in_another_case_finds_only_that_member()
    {
        await db.Services.AddMemberAsync("ada", "ada.lovelace@example.org");
        await db.Services.AddMemberAsync("bob", "bob@contoso.example", company: "Contoso");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(2, Results(cut).Count));

        Search(cut, "LOVELACE@Example");

        cut.WaitForAssertion(() => Assert.Equal(["ada", "ada.lovelace@example.org", "Yes"], Assert.Single(Results(cut))[..3]));
    }

    [Fact]
    public async Task Searching_a_company_finds_its_members()
    {
        await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Services.AddMemberAsync("bob", "bob@example.net", company: "Contoso Ltd");
        var cut = RenderPage();

        Search(cut, "contoso");

        cut.WaitForAssertion(() => Assert.Equal("bob", Assert.Single(Results(cut))[0]));
    }

    [Fact]
    public async Task A_search_longer_than_the_cap_is_refused_with_a_message_and_the_list_stays()
    {
        await db.Services.AddMemberAsync("ada", "ada@example.org");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(Results(cut)));

        Search(cut, new string('a', MemberDirectory.MaxQueryLength + 1));

        cut.WaitForAssertion(() => Assert.Contains($"Search with at most {MemberDirectory.MaxQueryLength} characters.", cut.Find("[data-testid=member-search]").TextContent));
        Assert.Single(Results(cut));
    }

    [Fact]
    public async Task Opening_a_member_shows_what_is_sent_and_writes_one_view_to_the_audit_trail()
    {
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Services.OptInAsync(ada, CommunicationPurposes.Newsletter, CommunicationPurposes.Offers);
        await db.Get<MemberService>().SetObjectionAsync(ada.Id, true);
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(Results(cut)));
        Assert.Equal(0, await ViewsAuditedAsync(ada.Id));

        cut.Find("button[aria-label='Open ada']").Click();

        cut.WaitForAssertion(() => Assert.Equal("ada", cut.Find("[data-testid=member-name]").TextContent));
        Assert.Equal(["Newsletter", "Yes", "Yes"], Row(cut, "communication-newsletter"));
        Assert.Equal(["Event invitations", "No", "No"], Row(cut, "communication-events"));
        Assert.Equal(["Product news and commercial offers", "Yes", "No: the member objects to prospecting"], Row(cut, "communication-offers"));
        Assert.StartsWith("Objects to prospecting since 2026-11-29 10:00", cut.Find("[data-testid=member-objection]").TextContent);
        Assert.Equal("0", cut.Find("[data-testid=member-browsers]").TextContent);
        var history = cut.FindAll("[data-testid=member-history] tbody tr");
        Assert.Contains("newsletter, offers", Assert.Single(history).TextContent);
        Assert.Equal(1, await ViewsAuditedAsync(ada.Id));
    }

    [Fact]
    public async Task Opening_a_member_erased_meanwhile_says_so_and_audits_nothing()
    {
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Single(Results(cut)));
        await db.Get<MemberService>().EraseAsync(ada.Id, ConsentSource.MemberPrivacy, MemberService.MemberActor, "none");

        cut.Find("button[aria-label='Open ada']").Click();

        cut.WaitForAssertion(() => Assert.Contains("no longer exists", cut.Find("[data-testid=member-gone]").TextContent));
        Assert.Empty(cut.FindAll("[data-testid=member-file]"));
        Assert.Equal(0, await ViewsAuditedAsync(ada.Id));
    }

    [Fact]
    public async Task The_opt_in_figures_count_confirmed_members_and_who_actually_receives_each_purpose()
    {
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Services.OptInAsync(ada, CommunicationPurposes.Newsletter, CommunicationPurposes.Offers);
        await db.Get<MemberService>().SetObjectionAsync(ada.Id, true);
        var bob = await db.Services.AddMemberAsync("bob", "bob@example.org");
        await db.Services.OptInAsync(bob, CommunicationPurposes.Newsletter);
        await db.Get<MemberService>().SetRestrictedAsync(bob.Id, true);
        var carol = await db.Services.AddMemberAsync("carol", "carol@example.org", confirmed: false);
        await db.Services.OptInAsync(carol, CommunicationPurposes.Newsletter);

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(["Newsletter", "2", "100.0 %", "1", "Download CSV of Newsletter"], Row(cut, "figures-newsletter")));
        Assert.Equal(["Product news and commercial offers", "1", "50.0 %", "0", "Download CSV of Product news and commercial offers"], Row(cut, "figures-offers"));
        Assert.Equal(["Event invitations", "0", "0.0 %", "0", "Download CSV of Event invitations"], Row(cut, "figures-events"));
        Assert.StartsWith("Among the 2 members who confirmed their e-mail address (3 accounts in all).", cut.Find("[data-testid=member-figures] caption").TextContent);
        Assert.Equal("/admin/export/audience.csv?purpose=newsletter", cut.Find("[data-testid=audience-newsletter]").GetAttribute("href"));
    }

    [Fact]
    public async Task The_directives_list_pending_ones_first_and_an_admin_marks_one_as_carried_out()
    {
        var members = db.Get<MemberService>();
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await members.SetDirectiveAsync(ada.Id, new DirectiveInput { Directive = DeathDirective.Delete });
        db.Time.Advance(TimeSpan.FromHours(1));
        var bob = await db.Services.AddMemberAsync("bob", "bob@example.org");
        await members.SetDirectiveAsync(bob.Id, new DirectiveInput
        {
            Directive = DeathDirective.PassToTrustedPerson,
            TrustedPersonName = "Carol Doe",
            TrustedPersonContact = "carol@example.org",
        });
        await db.Services.AddMemberAsync("dan", "dan@example.org");
        db.Time.Advance(TimeSpan.FromHours(1));
        var cut = RenderPage();
        var rows = cut.FindAll("[data-testid=member-directives] tbody tr");
        Assert.Equal(2, rows.Count);
        Assert.Contains("Pass the data to a trusted person", rows[1].TextContent);
        Assert.Contains("Carol Doe (carol@example.org)", rows[1].TextContent);

        cut.Find("button[aria-label='Mark the directive of ada as carried out']").Click();

        cut.WaitForAssertion(() => Assert.Contains("The directive of ada is marked as carried out.", cut.Find("[data-testid=directive-message]").TextContent));
        var after = cut.FindAll("[data-testid=member-directives] tbody tr");
        Assert.StartsWith("bob", after[0].TextContent.Trim()); // the one still to do comes first
        Assert.Contains($"2026-11-29 12:00 by {Alice}", after[1].TextContent);
        Assert.DoesNotContain(after[1].QuerySelectorAll("button"), b => b.TextContent.Trim() == "Mark as carried out");
        Assert.Equal(Alice, (await members.FindAsync(ada.Id))!.DirectiveCarriedOutBy);
        await using var context = db.NewContext();
        Assert.Equal(Alice, (await context.AuditEntries.SingleAsync(a => a.Action == "member.directive-carried-out" && a.EntityKey == ada.Id)).Actor);
    }

    [Fact]
    public async Task An_admin_carries_out_a_delete_directive_by_erasing_the_account_after_confirming()
    {
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Services.OptInAsync(ada, CommunicationPurposes.Newsletter);
        await db.Get<MemberService>().SetDirectiveAsync(ada.Id, new DirectiveInput { Directive = DeathDirective.Delete });
        var dialogs = bunit.Render<MudDialogProvider>();
        var cut = RenderPage();

        cut.Find("button[aria-label='Erase the account of ada']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("This cannot be undone.", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Erase the account").Click();

        cut.WaitForAssertion(() => Assert.Contains("The account of ada is erased, and the directive carried out.", cut.Find("[data-testid=directive-message]").TextContent));
        Assert.Contains("No member has recorded a directive.", cut.Find("[data-testid=member-directives]").TextContent);
        Assert.Null(await db.Get<MemberService>().FindAsync(ada.Id));
        await using var context = db.NewContext();
        var audited = await context.AuditEntries.Where(a => a.EntityKey == ada.Id && a.Actor == Alice).Select(a => a.Action).ToListAsync();
        Assert.Equal(["member.directive-carried-out", "member.erase"], audited.Order());
        Assert.Equal(0, await context.ConsentRecords.CountAsync(r => r.VisitorId == ada.SubjectId));
    }

    [Fact]
    public async Task Cancelling_the_erasure_keeps_the_account()
    {
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Get<MemberService>().SetDirectiveAsync(ada.Id, new DirectiveInput { Directive = DeathDirective.Delete });
        var dialogs = bunit.Render<MudDialogProvider>();
        var cut = RenderPage();

        cut.Find("button[aria-label='Erase the account of ada']").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("This cannot be undone.", dialogs.Markup));
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Cancel").Click();

        dialogs.WaitForAssertion(() => Assert.DoesNotContain("This cannot be undone.", dialogs.Markup));
        Assert.NotNull(await db.Get<MemberService>().FindAsync(ada.Id));
        Assert.Single(cut.FindAll("[data-testid=member-directives] tbody tr"));
    }

    [Fact]
    public async Task An_analyst_searches_and_opens_members_but_is_offered_no_export_and_no_marking()
    {
        auth.SetRoles(TeamRoles.Analyst);
        auth.SetPolicies();
        var ada = await db.Services.AddMemberAsync("ada", "ada@example.org");
        await db.Get<MemberService>().SetDirectiveAsync(ada.Id, new DirectiveInput { Directive = DeathDirective.Delete });

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Single(Results(cut)));
        Assert.Empty(cut.FindAll("[data-testid^=audience-]"));
        Assert.Contains("Delete the data", Assert.Single(cut.FindAll("[data-testid=member-directives] tbody tr")).TextContent);
        Assert.Empty(cut.FindAll("[data-testid=member-directives] button"));
        cut.Find("button[aria-label='Open ada']").Click();
        cut.WaitForAssertion(() => Assert.Equal("ada", cut.Find("[data-testid=member-name]").TextContent));
    }
}
