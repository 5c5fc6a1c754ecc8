using Consent.App.Members;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Consent.Core.Members;
using Microsoft.AspNetCore.Components;

namespace Consent.App.Components.Members;

/// <summary>
/// The confirmation step of erasing an account: the profile is removed, the e-mails withdrawn, the records unlinked the verifiable-log
/// way with an erasure record kept, the member signed out, and a confirmation sent to the address the account had.
/// </summary>
public partial class DeleteAccountPage
{
    public const string DeletedPath = "/members/deleted";

    [Inject] private MemberSession Session { get; set; } = default!;
    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private MemberPrivacyMails Mails { get; set; } = default!;
    [Inject] private VisitorRequest Visitor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "delete-account")] private MemberPrivacyPage.PostedForm? Confirm { get; set; }

    private Member? member;

    protected override async Task OnInitializedAsync()
    {
        Confirm ??= new();
        member = await Session.GetAsync();
        if (member is null) Navigation.NavigateTo($"{MemberAuthentication.SignInPath}?returnUrl={Uri.EscapeDataString("/members/delete")}");
    }

    private async Task EraseAsync()
    {
        if (member is null) return;
        var erasure = await Members.EraseAsync(member.Id, ConsentSource.MemberPrivacy, MemberService.MemberActor, Visitor.BrowserFamily);
        await Session.EndAsync();
        if (erasure is not null) await Mails.SendErasedAsync(member, erasure);
        Navigation.NavigateTo($"{DeletedPath}?record={erasure?.ErasureRecordId:D}");
    }
}
