using System.Globalization;
using Consent.Core.Languages;
using Consent.Core.Log.Receipts;
using Consent.Core.Members;
using Consent.Core.Policies;
using Consent.Core.PrivacyPolicy;
using Consent.Core.Requests;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Consent.App.Components.Visitor;

/// <summary>The privacy policy: the seed's text, with the controller, the DPO, the processors and the retention periods from configuration.</summary>
public partial class PrivacyPage
{
    [Inject] private IStringLocalizer<VisitorTexts> T { get; set; } = null!;
    [Inject] private IStringLocalizer<RequestTexts> Requests { get; set; } = null!;
    [Inject] private IOptions<ControllerOptions> ControllerOptions { get; set; } = null!;
    [Inject] private IOptions<PrivacyPolicyOptions> PolicyOptions { get; set; } = null!;
    [Inject] private IOptions<MemberRetentionOptions> RetentionOptions { get; set; } = null!;
    [Inject] private IOptions<ConsentOptions> ConsentOptions { get; set; } = null!;

    private ControllerOptions Controller => ControllerOptions.Value;
    private DpoOptions Dpo => PolicyOptions.Value.Dpo;
    private PrivacyPolicyOptions Policy => PolicyOptions.Value;
    private MemberRetentionOptions Retention => RetentionOptions.Value;

    private string Years(int years) => T[years == 1 ? "Privacy.Period.Year" : "Privacy.Period.Years", years];

    private string Days(int days) => T[days == 1 ? "Privacy.Period.Day" : "Privacy.Period.Days", days];

    private static string CountryName(Processor processor) => processor.CountryName(CultureInfo.CurrentUICulture);

    private string SafeguardText(Processor processor) =>
        TransferSafeguards.IsKnown(processor.Safeguard) ? T[$"Privacy.Safeguard.{processor.Safeguard}"] : processor.Safeguard;
}
