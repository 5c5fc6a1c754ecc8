using System.Globalization;
using Consent.App.Members;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Consent.Core.Members;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Options;

namespace Consent.App.Components.Members;

/// <summary>
/// The member's privacy page: their e-mail choices (each a consent record), their data (download, rectify, erase), objection to
/// prospecting, restriction of processing and a directive for after death. Every form posts and comes back here (post, redirect, get),
/// so it works without JavaScript.
/// </summary>
public partial class MemberPrivacyPage
{
    public const string Path = "/members/privacy";

    [Inject] private MemberSession Session { get; set; } = default!;
    [Inject] private MemberService Members { get; set; } = default!;
    [Inject] private CommunicationPreferences Communications { get; set; } = default!;
    [Inject] private MemberPrivacyMails Mails { get; set; } = default!;
    [Inject] private VisitorRequest Visitor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;
    [Inject] private IOptions<MemberRetentionOptions> Retention { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "emails")] private EmailsForm? Emails { get; set; }
    [SupplyParameterFromForm(FormName = "objection")] private StateForm? Objection { get; set; }
    [SupplyParameterFromForm(FormName = "restriction")] private StateForm? Restriction { get; set; }
    [SupplyParameterFromForm(FormName = "directive")] private DirectiveInput? Directive { get; set; }

    /// <summary>Which change was just saved, for the status line (one of a fixed set).</summary>
    [SupplyParameterFromQuery(Name = "saved")] private string? Saved { get; set; }

    private static readonly string[] SavedKeys = ["emails", "unchanged", "objection", "restriction", "directive"];

    private string SavedKey => SavedKeys.Contains(Saved) ? Saved! : "unchanged";

    private Member? member;
    private CommunicationState? state;
    private readonly List<string> errors = [];

    protected override async Task OnInitializedAsync()
    {
        Emails ??= new();
        Objection ??= new();
        Restriction ??= new();
        Directive ??= new();
        member = await Session.GetAsync();
        if (member is null)
        {
            Navigation.NavigateTo($"{MemberAuthentication.SignInPath}?returnUrl={Uri.EscapeDataString(Path)}");
            return;
        }
        state = await Communications.GetAsync(member);
    }

    private async Task SaveEmailsAsync()
    {
        if (member is null || state is null) return;
        var wanted = CommunicationPurposes.All.Where(p => Emails!.IsChecked(p)).ToList();
        try
        {
            var record = await Communications.SetAsync(member, wanted, ConsentSource.MemberPrivacy, Visitor.Language, Visitor.BrowserFamily);
            if (record is not null)
            {
                // Each new subscription is confirmed by an e-mail of its own, which carries its one-click unsubscribe link.
                foreach (var purpose in wanted.Where(p => !state.IsOptedIn(p))) await Mails.SendSubscribedAsync(member, purpose, new Uri(Navigation.BaseUri));
            }
            Navigation.NavigateTo($"{Path}?saved={(record is null ? "unchanged" : "emails")}");
        }
        catch (MemberRestrictedException)
        {
            errors.Add(T["MyPrivacy.Restricted.Refused"]);
        }
    }

    // The button posts the state it asks for: the same form posted twice (two tabs) leaves it so, instead of flipping it back.
    private async Task SetObjectionAsync()
    {
        if (state is null) return;
        await Members.SetObjectionAsync(member!.Id, Objection!.Value);
        Navigation.NavigateTo($"{Path}?saved=objection");
    }

    private async Task SetRestrictionAsync()
    {
        if (state is null) return;
        await Members.SetRestrictedAsync(member!.Id, Restriction!.Value);
        Navigation.NavigateTo($"{Path}?saved=restriction");
    }

    private async Task SaveDirectiveAsync()
    {
        if (member is null) return;
        try
        {
            await Members.SetDirectiveAsync(member.Id, Directive!);
            Navigation.NavigateTo($"{Path}?saved=directive");
        }
        catch (ValidationException invalid)
        {
            errors.AddRange(invalid.Errors.Select(e => e.ErrorMessage).Distinct());
        }
    }

    private string PurposeDescription(string purpose) =>
        purpose == CommunicationPurposes.Offers ? T[$"Purpose.{purpose}.Description", Retention.Value.OffersLapseYears] : T[$"Purpose.{purpose}.Description"];

    private static string FieldOf(string purpose) => EmailsForm.FieldOf(purpose);

    private static string Utc(DateTime? at) => at?.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "";

    /// <summary>The e-mail choices as the form posts them: a checked box posts "true", an unchecked one nothing.</summary>
    public sealed class EmailsForm
    {
        public bool Posted { get; set; }
        public bool Newsletter { get; set; }
        public bool Events { get; set; }
        public bool PartnerEvents { get; set; }
        public bool Offers { get; set; }

        public static string FieldOf(string purpose) => purpose switch
        {
            CommunicationPurposes.Newsletter => nameof(Newsletter),
            CommunicationPurposes.Events => nameof(Events),
            CommunicationPurposes.PartnerEvents => nameof(PartnerEvents),
            CommunicationPurposes.Offers => nameof(Offers),
            _ => throw new ArgumentOutOfRangeException(nameof(purpose)),
        };

        public bool IsChecked(string purpose) => purpose switch
        {
            CommunicationPurposes.Newsletter => Newsletter,
            CommunicationPurposes.Events => Events,
            CommunicationPurposes.PartnerEvents => PartnerEvents,
            CommunicationPurposes.Offers => Offers,
            _ => false,
        };
    }

    /// <summary>A form whose button is the whole input.</summary>
    public sealed class PostedForm
    {
        public bool Posted { get; set; }
    }

    /// <summary>A form whose button asks for one state: on (true) or off (false).</summary>
    public sealed class StateForm
    {
        public bool Value { get; set; }
    }
}
