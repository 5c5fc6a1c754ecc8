using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Tests.Support;
using MudBlazor;

namespace Consent.Tests.Components;

/// <summary>The buttons of a pending request's page, on the real inbox and a real SMTP server: each step lands, a refusal shows beside it.</summary>
public class RequestActionsTests() : AppPageTest(ConsentAppFactory.AdminEmail, TeamRoles.Admin)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private SmtpInbox inbox = null!;
    private IRenderedComponent<MudDialogProvider> dialogs = null!;

    protected override async Task ConfigureAsync(IDictionary<string, string> settings)
    {
        inbox = await SmtpInbox.StartAsync();
        foreach (var (key, value) in inbox.Settings()) settings[key] = value;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (inbox is not null) await inbox.DisposeAsync();
    }

    private IRenderedComponent<RequestPage> RenderPage(string reference)
    {
        bunit.Render<MudPopoverProvider>();
        dialogs = bunit.Render<MudDialogProvider>();
        var cut = bunit.Render<RequestPage>(p => p.Add(x => x.Reference, reference));
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=request-actions]")), Patience);
        return cut;
    }

    private static void Click(IRenderedComponent<RequestPage> cut, string action, string button) =>
        cut.FindAll($"[data-testid={action}] button").Single(b => b.TextContent.Trim() == button).Click();

    private static string Status(IRenderedComponent<RequestPage> cut) => cut.Find("[data-testid=request-status]").TextContent.Trim();

    private static List<string> History(IRenderedComponent<RequestPage> cut) =>
        cut.FindAll("[data-testid=request-history] tbody tr.mud-table-row").Select(r => string.Join(" | ", r.Children.Skip(1).Select(c => c.TextContent.Trim()))).ToList();

    private static string? ErrorOf(IRenderedComponent<RequestPage> cut, string action) =>
        cut.Find($"[data-testid={action}]").QuerySelector("[data-testid=action-error]")?.TextContent.Trim();

    [Fact]
    public async Task Assigning_the_request_to_an_admin_records_it_and_puts_it_in_progress()
    {
        var request = await app.Services.AddRequestAsync("R-ASSIGN01", receivedDaysAgo: 3);
        var cut = RenderPage(request.Reference);

        var select = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Assigned to");
        await cut.InvokeAsync(() => select.Instance.ValueChanged.InvokeAsync(ConsentAppFactory.AdminEmail));
        Click(cut, "action-assign", "Assign");

        cut.WaitForAssertion(() => Assert.Equal($"The request is assigned to {ConsentAppFactory.AdminEmail}.", cut.Find("[data-testid=request-message]").TextContent.Trim()), Patience);
        Assert.Equal(ConsentAppFactory.AdminEmail, cut.Find("[data-testid=request-assignee]").TextContent.Trim());
        Assert.Equal("In progress", Status(cut));
        Assert.Equal([$"{ConsentAppFactory.AdminEmail} | Assigned | {ConsentAppFactory.AdminEmail}"], History(cut));
    }

    [Fact]
    public async Task A_note_goes_into_the_history_and_an_empty_one_is_refused_beside_the_button()
    {
        var request = await app.Services.AddRequestAsync("R-NOTE0001", receivedDaysAgo: 3);
        var cut = RenderPage(request.Reference);

        Click(cut, "action-note", "Add the note");
        cut.WaitForAssertion(() => Assert.NotNull(ErrorOf(cut, "action-note")), Patience);
        Assert.Empty(History(cut));
        cut.Find("#request-note").Change("Called the requester; they will send a scan of their ID.");
        Click(cut, "action-note", "Add the note");

        cut.WaitForAssertion(() => Assert.Equal([$"{ConsentAppFactory.AdminEmail} | Note | Called the requester; they will send a scan of their ID."], History(cut)), Patience);
        Assert.Null(ErrorOf(cut, "action-note"));
    }

    [Fact]
    public async Task The_member_s_export_attached_then_a_reply_sent_and_closed_mails_the_requester_a_link_and_answers_the_request()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        var request = await app.Services.AddRequestAsync("R-EXPORT01", receivedDaysAgo: 3, email: "ada@example.org", with: r => r.MemberId = ada.Id);
        var cut = RenderPage(request.Reference);

        Click(cut, "action-fulfil", "Attach the member's export");
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("[data-testid=request-files] tbody tr")), Patience);
        Click(cut, "action-reply", "Write a reply");
        cut.WaitForAssertion(() => Assert.Contains("R-EXPORT01", cut.Find("#request-reply").GetAttribute("value") ?? cut.Find("#request-reply").TextContent), Patience);
        Click(cut, "action-reply", "Send and close as answered");

        cut.WaitForAssertion(() => Assert.Equal("Answered", Status(cut)), Patience);
        Assert.Empty(cut.FindAll("[data-testid=request-actions]"));
        var mail = await inbox.WaitForMailToAsync("ada@example.org");
        Assert.Contains("R-EXPORT01", mail.TextBody);
        Assert.Contains("/privacy/request/file?token=", mail.TextBody);
        Assert.DoesNotContain(mail.Attachments, _ => true);
    }

    [Fact]
    public async Task Extending_within_the_first_month_moves_the_due_date_and_a_missing_reason_is_refused_beside_it()
    {
        var request = await app.Services.AddRequestAsync("R-EXTEND01", receivedDaysAgo: 3, email: "ada@example.org");
        var cut = RenderPage(request.Reference);

        Click(cut, "action-extend", "Extend and tell the requester");
        cut.WaitForAssertion(() => Assert.NotNull(ErrorOf(cut, "action-extend")), Patience);
        Assert.Equal("Open", Status(cut));
        cut.Find("#request-extension-reason").Change("The request covers ten years of records.");
        Click(cut, "action-extend", "Extend and tell the requester");

        cut.WaitForAssertion(() => Assert.Equal("Extended", Status(cut)), Patience);
        Assert.StartsWith("2027-01-26", cut.Find("[data-testid=request-due]").TextContent);
        var mail = await inbox.WaitForMailToAsync("ada@example.org");
        Assert.Contains("The request covers ten years of records.", mail.TextBody);
    }

    [Fact]
    public async Task Refusing_with_a_reason_closes_the_request_and_tells_the_requester()
    {
        var request = await app.Services.AddRequestAsync("R-REFUSE01", receivedDaysAgo: 3, email: "ada@example.org");
        var cut = RenderPage(request.Reference);

        cut.Find("#request-refusal-reason").Change("We hold no data about this address.");
        Click(cut, "action-refuse", "Refuse the request");

        cut.WaitForAssertion(() => Assert.Equal("Refused", Status(cut)), Patience);
        Assert.Contains("CNIL", (await inbox.WaitForMailToAsync("ada@example.org")).TextBody);
    }

    [Fact]
    public async Task Marking_the_request_withdrawn_closes_it()
    {
        var request = await app.Services.AddRequestAsync("R-WITHDRAW", receivedDaysAgo: 3);
        var cut = RenderPage(request.Reference);

        Click(cut, "action-withdraw", "Mark as withdrawn");

        cut.WaitForAssertion(() => Assert.Equal("Withdrawn", Status(cut)), Patience);
    }

    [Fact]
    public async Task Erasing_the_member_s_account_asks_first_then_erases_it()
    {
        var ada = await app.Services.AddMemberAsync("ada", "ada@example.org");
        var request = await app.Services.AddRequestAsync("R-ERASE001", receivedDaysAgo: 3, type: RequestType.Erasure, email: "ada@example.org",
            with: r => r.MemberId = ada.Id);
        var cut = RenderPage(request.Reference);

        Click(cut, "action-fulfil", "Erase the member's account");
        dialogs.WaitForAssertion(() => Assert.Contains("This cannot be undone.", dialogs.Markup), Patience);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "Erase the account").Click();

        cut.WaitForAssertion(() => Assert.Equal("The member's account is erased. Reply to tell the requester.", cut.Find("[data-testid=request-message]").TextContent.Trim()), Patience);
        Assert.Equal("Not verified for a member account", cut.Find("[data-testid=request-member]").TextContent.Trim());
        Assert.Contains(History(cut), h => h.Contains("Member erased"));
    }
}
