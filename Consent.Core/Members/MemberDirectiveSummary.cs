namespace Consent.Core.Members;

/// <summary>A member's directive for after their death, as the privacy team's list shows it.</summary>
public sealed record MemberDirectiveSummary(
    string MemberId, string UserName, string Email, DeathDirective Directive, string? TrustedPersonName, string? TrustedPersonContact,
    DateTime? RecordedAt, DateTime? CarriedOutAt, string? CarriedOutBy);
