using Consent.App.Components.Members;
using Consent.App.Members;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core.Members;
using Consent.Core.Requests;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace Consent.App.Components.Requests;

/// <summary>
/// The public rights-request form. A signed-in member files for their own account with its confirmed address, verified at once; anyone
/// else is sent a code and goes on to <see cref="VerifyRequestPage"/>. The consent id starts as the one of this browser's choice in force.
/// </summary>
public partial class PrivacyRequestPage
{
    [Inject] private IStringLocalizer<RequestTexts> T { get; set; } = default!;
    [Inject] private RequestService Requests { get; set; } = default!;
    [Inject] private RequestFormLimits Limits { get; set; } = default!;
    [Inject] private MemberSession Session { get; set; } = default!;
    [Inject] private VisitorRequest Visitor { get; set; } = default!;
    [Inject] private NavigationManager Navigation { get; set; } = default!;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "request")] private RequestInput? Input { get; set; }

    private Member? member;
    private string? refusal;
    private RequestFiled? received;

    protected override async Task OnInitializedAsync()
    {
        // Before the first await: the page renders its form while the member is read.
        Input ??= new RequestInput { ConsentId = Visitor.Consent.ConsentId?.ToString("D") };
        member = await Session.GetAsync() is { EmailConfirmed: true } signedIn ? signedIn : null;
    }

    private async Task FileAsync(EditContext form)
    {
        // The member's own confirmed address, never a typed one.
        if (member is not null) Input!.Email = member.Email;
        if (!RequestForms.Admit(HttpContext, Limits, form, member is null ? Input!.Email : null, out refusal)) return;
        RequestFiled filed;
        try
        {
            filed = await Requests.FileAsync(Input!, Visitor.Language, member, Visitor.ConsentCookie, MemberForms.CenterOf(HttpContext));
        }
        catch (ValidationException)
        {
            // The form's own check ran the same validator; only a race (a member signed out meanwhile) gets here.
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (filed.Status == RequestStatus.AwaitingVerification)
        {
            Navigation.NavigateTo($"{RequestService.VerifyPath}?reference={Uri.EscapeDataString(filed.Reference)}&sent={(filed.MailSent ? "true" : "failed")}");
            return;
        }
        received = filed;
    }
}
