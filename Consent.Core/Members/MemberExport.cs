using Consent.Core.Consents;

namespace Consent.Core.Members;

/// <summary>Everything the center holds about a member, as they download it (access and portability, GDPR art. 15 and 20).</summary>
public sealed record MemberExport(
    DateTime ExportedAt,
    MemberProfileExport Profile,
    MemberStateExport State,
    MemberDirectiveExport? Directive,
    IReadOnlyList<string> CommunicationsOptedIn,
    IReadOnlyList<ConsentHistoryEntry> CommunicationRecords,
    IReadOnlyList<MemberVisitorExport> CookieConsents,
    IReadOnlyList<MemberRequestExport> RightsRequests);

public sealed record MemberProfileExport(
    string UserName, string Email, bool EmailConfirmed, string? Company, string? JobTitle, string? Country, string? City, string? LinkedInUrl,
    string Language, DateTime CreatedAt, DateTime LastContactAt);

public sealed record MemberStateExport(DateTime? RestrictedAt, DateTime? ObjectedToProspectingAt, DateTime? InactivityWarnedAt);

public sealed record MemberDirectiveExport(string Directive, string? TrustedPersonName, string? TrustedPersonContact, DateTime? RecordedAt, DateTime? CarriedOutAt);

/// <summary>A browser linked to the member and the cookie choices made in it.</summary>
public sealed record MemberVisitorExport(string VisitorId, DateTime LinkedAt, IReadOnlyList<ConsentHistoryEntry> Records);

/// <summary>A rights request verified for the member's account, as the register holds it (type and status by their kebab names).</summary>
public sealed record MemberRequestExport(string Reference, string Type, string Status, DateTime FiledAt, DateTime? ReceivedAt, DateOnly? DueOn, DateTime? ClosedAt);
