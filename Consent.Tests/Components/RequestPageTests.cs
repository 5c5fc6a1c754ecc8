using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Consent.Tests.Components;

/// <summary>One request as the DPO opens it on 2026-11-29: its facts, identity checks, deadlines and the actions that apply.</summary>
public class RequestPageTests() : AppPageTest(Dpo, TeamRoles.Dpo)
{
    private const string Dpo = "dpo@example.org";

    private IRenderedComponent<RequestPage> RenderPage(string reference)
    {
        bunit.Render<MudPopoverProvider>();
        bunit.Render<MudDialogProvider>();
        return bunit.Render<RequestPage>(p => p.Add(x => x.Reference, reference));
    }

    private static Dictionary<string, string> Facts(IRenderedComponent<RequestPage> cut, string table) =>
        cut.FindAll($"[data-testid={table}] tr").ToDictionary(r => r.Children[0].TextContent.Trim(), r => r.Children[1].TextContent.Trim());

    private static List<string> Buttons(IRenderedComponent<RequestPage> cut, string action) =>
        cut.FindAll($"[data-testid={action}] button").Select(b => b.TextContent.Trim()).ToList();

    [Fact]
    public async Task A_member_s_access_request_shows_who_asked_how_they_were_checked_its_deadlines_and_the_export_to_attach()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        await app.Services.AddRequestAsync("R-ACCESS01", receivedDaysAgo: 27, email: "ada@example.org", name: "Ada Lovelace",
            with: r => { r.MemberId = ada.Id; r.CodesSent = 0; });

        var cut = RenderPage("r-access01");

        cut.WaitForAssertion(() => Assert.Equal("R-ACCESS01", cut.Find("[data-testid=request-reference]").TextContent));
        Assert.Equal("Open", cut.Find("[data-testid=request-status]").TextContent.Trim());
        Assert.Equal("due in 3 days", cut.Find("[data-testid=request-deadline]").TextContent.Trim());
        var facts = Facts(cut, "request-facts");
        Assert.Equal("Ada Lovelace <ada@example.org>", facts["Requester"]);
        Assert.Equal("Signed-in member", facts["Identity checked by"]);
        Assert.Equal("ada", facts["Member"]);
        var deadlines = Facts(cut, "request-deadlines");
        Assert.Equal("2026-11-02 10:00", deadlines["Received (verified, UTC)"]);
        Assert.Equal("2026-12-02 (due in 3 days)", deadlines["Due"]);
        Assert.Equal(["Attach the member's export"], Buttons(cut, "action-fulfil"));
        Assert.Contains("Extend and tell the requester", Buttons(cut, "action-extend"));
    }

    [Fact]
    public async Task A_request_can_be_assigned_to_the_dpos_and_admins_but_not_to_an_analyst()
    {
        await app.CreateMemberAsync(Dpo, TeamRoles.Dpo, "dpo password 12345678");
        await app.CreateMemberAsync(TeamSignIn.AnalystEmail, TeamRoles.Analyst, TeamSignIn.AnalystPassword);

        var assignees = await app.Services.GetRequiredService<RequestRegister>().AssigneesAsync();

        Assert.Equal([Dpo, ConsentAppFactory.AdminEmail], assignees);
    }

    [Fact]
    public async Task Past_the_first_month_the_extension_says_why_it_is_no_longer_possible()
    {
        await app.Services.AddRequestAsync("R-LATE0001", receivedDaysAgo: 35, type: RequestType.Rectification);

        var cut = RenderPage("R-LATE0001");

        cut.WaitForAssertion(() => Assert.Equal("overdue by 4 days", cut.Find("[data-testid=request-deadline]").TextContent.Trim()));
        Assert.Empty(Buttons(cut, "action-extend"));
        Assert.StartsWith("Not possible any more: the first month ended on 2026-11-25", cut.Find("[data-testid=extend-impossible]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=action-fulfil]"));
        Assert.Equal("E-mail address confirmed with a code", Facts(cut, "request-facts")["Identity checked by"]);
    }

    [Fact]
    public async Task A_closed_request_shows_its_closing_and_offers_no_action()
    {
        await app.Services.AddRequestAsync("R-REFUSED1", receivedDaysAgo: 10, status: RequestStatus.Refused,
            with: r => r.ClosingReason = "Manifestly unfounded.");

        var cut = RenderPage("R-REFUSED1");

        cut.WaitForAssertion(() => Assert.Equal("Refused", cut.Find("[data-testid=request-status]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=request-deadline]"));
        Assert.Empty(cut.FindAll("[data-testid=request-actions]"));
        Assert.Equal("2026-11-29 10:00: Manifestly unfounded.", Facts(cut, "request-deadlines")["Closed (UTC)"]);
    }

    [Fact]
    public void An_unknown_reference_says_there_is_no_such_request()
    {
        var cut = RenderPage("R-NOSUCH01");

        cut.WaitForAssertion(() => Assert.Contains("There is no request R-NOSUCH01", cut.Find("[data-testid=request-missing]").TextContent));
    }
}
