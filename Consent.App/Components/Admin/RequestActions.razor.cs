using Consent.Core.Policies;
using Consent.Core.Requests;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Options;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

/// <summary>
/// The actions on a pending request, each one call of <see cref="RequestInbox"/>. A refusal by the rules or a field message is shown
/// beside its action and nothing else changes; a success tells the page, which reads the request again.
/// </summary>
public partial class RequestActions
{
    private const string Nobody = "";
    private const string Assign = "assign";
    private const string Note = "note";
    private const string Reply = "reply";
    private const string Fulfil = "fulfil";
    private const string Extend = "extend";
    private const string Refuse = "refuse";
    private const string Withdraw = "withdraw";

    [Parameter, EditorRequired]
    public RequestDetail Request { get; set; } = default!;

    /// <summary>Called after a step succeeded, with what to tell the DPO.</summary>
    [Parameter]
    public EventCallback<string> Changed { get; set; }

    [CascadingParameter]
    private Task<AuthenticationState>? Auth { get; set; }

    [Inject] private RequestInbox Inbox { get; set; } = default!;
    [Inject] private RequestRegister Register { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IOptions<ConsentOptions> CenterOptions { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    /// <summary>Where the requester opens the files: the public address when set, not the one the DPO reached the center by.</summary>
    private Uri Center => string.IsNullOrEmpty(CenterOptions.Value.PublicUrl) ? new Uri(Navigation.BaseUri) : new Uri(CenterOptions.Value.PublicUrl);

    private readonly Dictionary<string, string> errors = [];
    private IReadOnlyList<string> assignees = [];
    private string assignee = Nobody;
    private string? note;
    private string? reply;
    private int months = 1;
    private string? extensionReason;
    private string? refusalReason;
    private string? withdrawalReason;

    protected override async Task OnInitializedAsync() => assignees = await Register.AssigneesAsync();

    /// <summary>The request read again after a step: the choices start from what it now is.</summary>
    protected override void OnParametersSet()
    {
        assignee = Request.AssignedTo ?? Nobody;
        months = 1;
    }

    private string? Error(string action) => errors.GetValueOrDefault(action);

    private Task AssignAsync() => RunAsync(Assign, async actor =>
    {
        var to = assignee == Nobody ? null : assignee;
        await Inbox.AssignAsync(Request.Reference, to, actor);
        return to is null ? "The request is no longer assigned." : $"The request is assigned to {to}.";
    });

    private Task AddNoteAsync() => RunAsync(Note, async actor =>
    {
        await Inbox.AddNoteAsync(Request.Reference, note ?? "", actor);
        note = null;
        return "The note is added to the history.";
    });

    /// <summary>Opens the editor with the template of the request's type, in the requester's language.</summary>
    private Task WriteReplyAsync() => RunAsync(Reply, async _ =>
    {
        reply = await Inbox.ReplyTemplateAsync(Request.Reference);
        return null;
    });

    private Task ReplyAsync(bool answers) => RunAsync(Reply, async actor =>
    {
        await Inbox.ReplyAsync(Request.Reference, reply ?? "", answers, Center, actor);
        reply = null;
        return answers ? "The reply is sent and the request is closed as answered." : "The reply is sent; the request stays open.";
    });

    private Task AttachExportAsync() => RunAsync(Fulfil, async actor =>
    {
        var file = await Inbox.AttachMemberExportAsync(Request.Reference, actor);
        return $"{file.FileName} is attached: the next reply links it.";
    });

    private Task AttachHistoryAsync() => RunAsync(Fulfil, async actor =>
    {
        var file = await Inbox.AttachConsentHistoryAsync(Request.Reference, actor);
        return $"{file.FileName} is attached: the next reply links it.";
    });

    private async Task EraseAsync()
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Erase this member's account?",
            $"{Request.MemberUserName} asked for erasure. Their profile is deleted, their e-mail choices are withdrawn, and their consent " +
            "records are unlinked from them in the log, as when a member erases their own account. This cannot be undone.",
            yesText: "Erase the account", cancelText: "Cancel", options: ConfirmDialogs.Options);
        if (confirmed != true) return;
        await RunAsync(Fulfil, async actor =>
        {
            await Inbox.EraseMemberAsync(Request.Reference, actor);
            return "The member's account is erased. Reply to tell the requester.";
        });
    }

    private Task ExtendAsync() => RunAsync(Extend, async actor =>
    {
        await Inbox.ExtendAsync(Request.Reference, months, extensionReason ?? "", actor);
        extensionReason = null;
        return $"The deadline is extended by {months} month(s) and the requester is told why.";
    });

    private Task RefuseAsync() => RunAsync(Refuse, async actor =>
    {
        await Inbox.RefuseAsync(Request.Reference, refusalReason ?? "", actor);
        return "The request is refused; the requester is told why and how to complain to the CNIL.";
    });

    private Task WithdrawAsync() => RunAsync(Withdraw, async actor =>
    {
        await Inbox.WithdrawAsync(Request.Reference, string.IsNullOrWhiteSpace(withdrawalReason) ? null : withdrawalReason, actor);
        return "The request is closed as withdrawn.";
    });

    /// <summary>Runs one step; its refusal stays beside it. A null result means nothing changed worth reading again.</summary>
    private async Task RunAsync(string action, Func<string, Task<string?>> step)
    {
        errors.Remove(action);
        try
        {
            var done = await step(await Auth.ActorAsync());
            if (done is not null) await Changed.InvokeAsync(done);
        }
        catch (RequestRuleException ex)
        {
            errors[action] = ex.Message;
        }
        catch (ValidationException ex)
        {
            errors[action] = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct());
        }
    }

    private string WhyNoExtension =>
        Request.ExtensionMonths >= RequestDeadlines.MaxExtensionMonths
            ? $"Already extended by the {RequestDeadlines.MaxExtensionMonths} further months the GDPR allows (Art. 12(3)): no more can be added."
            : $"Not possible any more: the first month ended on {RequestLabels.Day(Request.FirstDueOn)}, and the GDPR (Art. 12(3)) requires the " +
              "requester to be told of an extension within it.";
}
