using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Consent.Tests.Components;

/// <summary>The DPO's inbox on 2026-11-29 (a Sunday, Paris): three pending requests, one awaiting verification, one answered.</summary>
public class RequestsPageTests() : TeamPageTest(Dpo, TeamRoles.Dpo)
{
    private const string Dpo = "dpo@example.org";

    private IRenderedComponent<RequestsPage> RenderPage(string? due = null)
    {
        bunit.Render<MudPopoverProvider>();
        if (due is not null)
        {
            var navigation = bunit.Services.GetRequiredService<NavigationManager>();
            navigation.NavigateTo(navigation.GetUriWithQueryParameter("due", due));
        }
        return bunit.Render<RequestsPage>();
    }

    /// <summary>Due 2026-11-25 (overdue by 4 days), 2026-12-02 (in 3 days), 2026-12-28 (27th is a Sunday; in 29 days).</summary>
    private async Task AddRegisterAsync()
    {
        await db.Services.AddRequestAsync("R-LATER001", receivedDaysAgo: 2, type: RequestType.Erasure, email: "later@example.org");
        await db.Services.AddRequestAsync("R-OVERDUE1", receivedDaysAgo: 35, email: "Ada.Lovelace@Example.org", name: "Ada Lovelace");
        await db.Services.AddRequestAsync("R-SOON0001", receivedDaysAgo: 27, type: RequestType.Portability, email: "soon@example.org",
            with: r => r.AssignedTo = Dpo);
        await db.Services.AddRequestAsync("R-WAITING1", status: RequestStatus.AwaitingVerification, email: "waiting@example.org");
        await db.Services.AddRequestAsync("R-CLOSED01", receivedDaysAgo: 40, status: RequestStatus.Answered, email: "closed@example.org");
    }

    private static List<(string[] Cells, string Class)> Rows(IRenderedComponent<RequestsPage> cut) =>
        cut.FindAll("[data-testid=request-results] tbody tr.mud-table-row")
            .Select(r => (r.Children.Select(c => c.TextContent.Trim()).ToArray(), r.ClassName ?? ""))
            .ToList();

    private static List<string> References(IRenderedComponent<RequestsPage> cut) => Rows(cut).Select(r => r.Cells[0]).ToList();

    private static Task ChooseAsync<T>(IRenderedComponent<RequestsPage> cut, string label, T value)
    {
        var select = cut.FindComponents<MudSelect<T>>().Single(s => s.Instance.Label == label);
        return cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(value));
    }

    private static void Search(IRenderedComponent<RequestsPage> cut, string text)
    {
        cut.Find("#request-query").Input(text);
        cut.Find("[data-testid=request-search]").Submit();
    }

    [Fact]
    public async Task The_pending_requests_come_most_urgent_first_with_the_deadline_in_words_and_overdue_and_due_soon_rows_marked()
    {
        await AddRegisterAsync();

        var cut = RenderPage();

        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));
        var (overdue, soon, later) = (Rows(cut)[0], Rows(cut)[1], Rows(cut)[2]);
        Assert.Equal(["R-OVERDUE1", "Access", "Open", "Ada Lovelace", "2026-10-25 10:00", "2026-11-25", "overdue by 4 days", "Nobody"], overdue.Cells);
        Assert.Equal(["R-SOON0001", "Portability", "Open", "soon@example.org", "2026-11-02 10:00", "2026-12-02", "due in 3 days", Dpo], soon.Cells);
        Assert.Equal(["R-LATER001", "Erasure", "Open", "later@example.org", "2026-11-27 10:00", "2026-12-28", "due in 29 days", "Nobody"], later.Cells);
        Assert.Contains("request-overdue", overdue.Class);
        Assert.Contains("request-due-soon", soon.Class);
        Assert.DoesNotContain("request-", later.Class);
        Assert.Equal("/admin/requests/R-OVERDUE1", cut.Find("[data-testid=request-results] tbody a").GetAttribute("href"));
    }

    [Fact]
    public async Task Choosing_overdue_lists_only_the_overdue_request()
    {
        await AddRegisterAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));

        await ChooseAsync(cut, "Due", RequestDue.Overdue);

        cut.WaitForAssertion(() => Assert.Equal(["R-OVERDUE1"], References(cut)));
    }

    [Fact]
    public async Task The_dashboard_s_due_soon_link_opens_the_list_of_requests_due_within_seven_days()
    {
        await AddRegisterAsync();

        var cut = RenderPage(due: "due-soon");

        cut.WaitForAssertion(() => Assert.Equal(["R-SOON0001"], References(cut)));
        Assert.Equal("Due within 7 days", cut.FindComponents<MudSelect<RequestDue>>().Single().Find("input").GetAttribute("value"));
    }

    [Fact]
    public async Task Choosing_a_type_lists_only_requests_of_that_type()
    {
        await AddRegisterAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));

        await ChooseAsync(cut, "Type", RequestVocabulary.Name(RequestType.Erasure));

        cut.WaitForAssertion(() => Assert.Equal(["R-LATER001"], References(cut)));
    }

    [Fact]
    public async Task Requests_awaiting_verification_are_listed_only_when_asked_for_and_have_no_deadline()
    {
        await AddRegisterAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));
        Assert.DoesNotContain("R-WAITING1", References(cut));

        await ChooseAsync(cut, "Status", RequestVocabulary.Name(RequestStatus.AwaitingVerification));

        cut.WaitForAssertion(() => Assert.Equal(["R-WAITING1"], References(cut)));
        var waiting = Rows(cut)[0].Cells;
        Assert.Equal(["Awaiting verification", "—", "—", ""], [waiting[2], waiting[4], waiting[5], waiting[6]]);
    }

    [Fact]
    public async Task The_whole_register_lists_closed_requests_after_the_pending_ones_but_never_unverified_ones()
    {
        await AddRegisterAsync();
        var cut = RenderPage();

        await ChooseAsync(cut, "Status", RequestsPage.AllStatuses);

        cut.WaitForAssertion(() => Assert.Equal(["R-OVERDUE1", "R-SOON0001", "R-LATER001", "R-CLOSED01"], References(cut)));
        Assert.Equal("", Rows(cut)[3].Cells[6]); // a closed request is not overdue any more
    }

    [Fact]
    public async Task Searching_part_of_an_email_in_another_case_finds_that_request()
    {
        await AddRegisterAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));

        Search(cut, "ada.LOVELACE@");

        cut.WaitForAssertion(() => Assert.Equal(["R-OVERDUE1"], References(cut)));
    }

    [Fact]
    public async Task Searching_a_reference_in_lower_case_or_a_name_finds_that_request()
    {
        await AddRegisterAsync();
        var cut = RenderPage();

        Search(cut, "r-soon");
        cut.WaitForAssertion(() => Assert.Equal(["R-SOON0001"], References(cut)));
        Search(cut, "lovelace");

        cut.WaitForAssertion(() => Assert.Equal(["R-OVERDUE1"], References(cut)));
    }

    [Fact]
    public async Task A_search_longer_than_the_cap_is_refused_with_a_message_and_the_list_stays()
    {
        await AddRegisterAsync();
        var cut = RenderPage();
        cut.WaitForAssertion(() => Assert.Equal(3, Rows(cut).Count));

        Search(cut, new string('a', RequestRegister.MaxSearchLength + 1));

        cut.WaitForAssertion(() => Assert.Contains($"Search with at most {RequestRegister.MaxSearchLength} characters.", cut.Find("[data-testid=request-search]").TextContent));
        Assert.Equal(3, Rows(cut).Count);
    }

    [Fact]
    public void The_register_s_download_link_is_the_csv_export()
    {
        var cut = RenderPage();

        var link = cut.Find("a[data-testid=export-csv]");

        Assert.Equal("/admin/export/requests.csv", link.GetAttribute("href"));
        Assert.Equal("requests-register-2026-11-29.csv", link.GetAttribute("download"));
    }
}
