using System.Globalization;
using Consent.Core.Consents;
using Consent.Core.Members;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

/// <summary>
/// The privacy team's side of the members: opt-in figures, search, one member opened (audited by <see cref="MemberDirectory.ViewAsync"/>,
/// only on a click, so a prerender never counts as a view) and the directives for after death.
/// </summary>
public partial class MembersPage
{
    [Inject] private MemberDirectory Directory { get; set; } = default!;
    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;

    [CascadingParameter]
    private Task<AuthenticationState>? Auth { get; set; }

    private MudDataGrid<MemberSummary>? grid;
    private CommunicationFigures? figures;
    private IReadOnlyList<MemberDirectiveSummary>? directives;
    private string? query;
    private string? searched;
    private string? searchError;
    private MemberFile? opened;
    private bool notFound;
    private string? message;
    private Severity messageSeverity;

    private DateTime Now => Clock.GetUtcNow().UtcDateTime;

    protected override async Task OnInitializedAsync()
    {
        figures = await Directory.GetCommunicationFiguresAsync();
        directives = await Directory.ListDirectivesAsync();
    }

    /// <summary>The grid asks for one page at a time of the last search.</summary>
    private async Task<GridData<MemberSummary>> LoadAsync(GridState<MemberSummary> state, CancellationToken ct)
    {
        try
        {
            var page = await Directory.SearchAsync(searched, state.Page, state.PageSize, ct);
            return new GridData<MemberSummary> { Items = page.Members, TotalItems = page.TotalCount };
        }
        catch (ValidationException ex)
        {
            searchError = ex.Errors.First().ErrorMessage;
            return new GridData<MemberSummary> { Items = [], TotalItems = 0 };
        }
    }

    private async Task SearchAsync()
    {
        searchError = null;
        if ((query ?? "").Trim().Length > MemberDirectory.MaxQueryLength)
        {
            searchError = $"Search with at most {MemberDirectory.MaxQueryLength} characters.";
            return;
        }
        searched = query;
        if (grid is not null) await grid.ReloadServerData();
    }

    private async Task OpenAsync(string memberId)
    {
        opened = await Directory.ViewAsync(memberId, await Auth.ActorAsync());
        notFound = opened is null;
    }

    private async Task MarkCarriedOutAsync(MemberDirectiveSummary directive)
    {
        try
        {
            await Members.MarkDirectiveCarriedOutAsync(directive.MemberId, await Auth.ActorAsync());
            Show(Severity.Success, $"The directive of {directive.UserName} is marked as carried out.");
        }
        catch (InvalidOperationException)
        {
            // Cleared by the member meanwhile, or the account is gone: the list below says what is left.
            Show(Severity.Warning, $"{directive.UserName} has no directive any more; nothing was marked.");
        }
        directives = await Directory.ListDirectivesAsync();
    }

    /// <summary>Carries out a "delete" directive: marked as carried out, then erased (both audited under the team member's name).</summary>
    private async Task EraseAsync(MemberDirectiveSummary directive)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Erase this account?",
            $"{directive.UserName} ({directive.Email}) asked for their data to be deleted after their death. Their profile is deleted, " +
            "their e-mail choices are withdrawn, and their consent records are unlinked from them in the log. This cannot be undone.",
            yesText: "Erase the account", cancelText: "Cancel", options: ConfirmDialogs.Options);
        if (confirmed != true) return;
        var actor = await Auth.ActorAsync();
        try
        {
            await Members.MarkDirectiveCarriedOutAsync(directive.MemberId, actor);
            await Members.EraseAsync(directive.MemberId, ConsentSource.MemberPrivacy, actor, "none");
            Show(Severity.Success, $"The account of {directive.UserName} is erased, and the directive carried out.");
        }
        catch (InvalidOperationException)
        {
            // Erased or cleared meanwhile: nothing is left to carry out.
            Show(Severity.Warning, $"{directive.UserName} has no directive any more; nothing was erased.");
        }
        if (opened?.Id == directive.MemberId) opened = null;
        figures = await Directory.GetCommunicationFiguresAsync();
        directives = await Directory.ListDirectivesAsync();
        if (grid is not null) await grid.ReloadServerData();
    }

    private void Show(Severity severity, string text)
    {
        messageSeverity = severity;
        message = text;
    }

    private string FiguresCaption => figures is null ? "" :
        $"Among the {Count(figures.ConfirmedMembers)} members who confirmed their e-mail address ({Count(figures.Members)} accounts in all). " +
        "Opt-in rate = opted in ÷ confirmed members. Receiving leaves out those who object to prospecting (offers) or restricted processing (everything).";

    private static string CarriedOut(MemberDirectiveSummary d) =>
        d.CarriedOutAt is { } at ? $"{Time(at)} by {d.CarriedOutBy}" : "Not yet";

    private static string Count(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Percent(double? rate) =>
        rate is { } r ? (r * 100).ToString("0.0", CultureInfo.InvariantCulture) + " %" : "no data";

    private static string Day(DateTime at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Time(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) ?? "—";
}
