namespace Consent.Core.Members;

/// <summary>
/// Settings of section "Consent:Members:Retention": the seed's retention periods for members, read by the retention job that
/// applies them and by the privacy policy page that states them. A newsletter subscription has no period: it lasts until unsubscribe.
/// </summary>
public sealed class MemberRetentionOptions
{
    public const string Section = "Members:Retention";

    /// <summary>The longest period in years either period accepts.</summary>
    public const int MaxYears = 20;

    /// <summary>The most days ahead the warning may go.</summary>
    public const int MaxWarningDays = 365;

    /// <summary>The longest pause in hours between two runs of the job.</summary>
    public const int MaxRunEveryHours = 168;

    /// <summary>An opt-in to commercial offers lapses this many years after the member's last contact (a sign-in or an e-mail interaction).</summary>
    public int OffersLapseYears { get; set; } = 3;

    /// <summary>An account without contact for this many years is erased.</summary>
    public int InactiveAccountYears { get; set; } = 3;

    /// <summary>How many days before that erasure the member is warned by e-mail.</summary>
    public int WarningDays { get; set; } = 30;

    /// <summary>Whether this instance runs the retention job; the periods stay the policy's either way.</summary>
    public bool Enabled { get; set; } = true;

    public int RunEveryHours { get; set; } = 24;
}
