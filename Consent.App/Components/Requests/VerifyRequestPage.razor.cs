using Consent.App.Components.Members;
using Consent.App.RateLimits;
using Consent.Core.Requests;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Consent.App.Components.Requests;

/// <summary>
/// The e-mail check of a request: the code typed, or the mail's link, which fills both fields in. A GET never verifies (mail scanners
/// open links): only the form's POST does. Wrong codes say how many tries are left; an expired code or too many tries offer a new code.
/// </summary>
public partial class VerifyRequestPage
{
    [Inject] private IStringLocalizer<RequestTexts> T { get; set; } = default!;
    [Inject] private RequestService Requests { get; set; } = default!;
    [Inject] private RequestFormLimits Limits { get; set; } = default!;
    [Inject] private IOptions<RequestOptions> Options { get; set; } = default!;

    [CascadingParameter] private HttpContext HttpContext { get; set; } = default!;

    [SupplyParameterFromForm(FormName = "verify")] private VerificationInput? Input { get; set; }
    [SupplyParameterFromForm(FormName = "resend")] private VerificationInput? Resend { get; set; }

    [SupplyParameterFromQuery(Name = "reference")] private string? QueryReference { get; set; }
    [SupplyParameterFromQuery(Name = "code")] private string? QueryCode { get; set; }
    [SupplyParameterFromQuery(Name = "sent")] private string? Sent { get; set; }

    private int CodeMinutes => Options.Value.CodeMinutes;

    /// <summary>The page after a code or a new code was posted: the filing's "code sent" line is no longer news.</summary>
    private bool Posted => HttpMethods.IsPost(HttpContext.Request.Method);

    private RequestVerification? verified;
    private string? message;
    private string? notice;
    private bool noCodesLeft;

    protected override void OnInitialized()
    {
        // Only prefilled: the link's GET changes nothing.
        Input ??= new VerificationInput { Reference = Resend?.Reference ?? QueryReference, Code = Resend is null ? QueryCode : null };
        Resend ??= new VerificationInput();
    }

    private async Task VerifyAsync(EditContext form)
    {
        if (!RequestForms.Admit(HttpContext, Limits, form, null, out message)) return;
        RequestVerification answer;
        try
        {
            answer = await Requests.VerifyAsync(Input!);
        }
        catch (ValidationException)
        {
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Input!.Reference = answer.Reference;
        Input.Code = null;
        switch (answer.Outcome)
        {
            case VerificationOutcome.Verified:
                verified = answer;
                break;
            case VerificationOutcome.WrongCode:
                message = T["Verify.Wrong", answer.AttemptsLeft];
                break;
            case VerificationOutcome.Expired:
            case VerificationOutcome.TooManyAttempts:
                message = T[answer.Outcome == VerificationOutcome.Expired ? "Verify.Expired" : "Verify.TooMany"];
                if (answer.CodesLeft == 0) NoCodesLeft();
                break;
            default:
                message = T["Verify.NotAwaiting"];
                break;
        }
    }

    private async Task ResendAsync()
    {
        if (RequestForms.AdmitClient(HttpContext, Limits) is { } refused)
        {
            message = refused;
            return;
        }
        var answer = await Requests.ResendAsync(Resend!.Reference, MemberForms.CenterOf(HttpContext));
        Input!.Reference = RequestService.NormalizeReference(Resend.Reference);
        switch (answer.Outcome)
        {
            case ResendOutcome.Sent when answer.MailSent:
                notice = T["Verify.Resend.Sent", answer.CodesLeft];
                break;
            case ResendOutcome.Sent:
                message = T["Form.Sent.MailFailed"];
                break;
            case ResendOutcome.NoCodesLeft:
                NoCodesLeft();
                break;
            default:
                message = T["Verify.NotAwaiting"];
                break;
        }
    }

    private void NoCodesLeft()
    {
        noCodesLeft = true;
        message = (message is null ? "" : message + " ") + T["Verify.Resend.None"];
    }
}
