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
    IReadOnlyList<MemberVisitorExport> CookieConsents);

public sealed record MemberProfileExport(
    string UserName, string Email, bool EmailConfirmed, string? Company, string? JobTitle, string? Country, string? City, string? LinkedInUrl,
    string Language, DateTime CreatedAt, DateTime LastContactAt);

public sealed record MemberStateExport(DateTime? RestrictedAt, DateTime? ObjectedToProspectingAt, DateTime? InactivityWarnedAt);

public sealed record MemberDirectiveExport(string Directive, string? TrustedPersonName, string? TrustedPersonContact, DateTime? RecordedAt, DateTime? CarriedOutAt);

/// <summary>A browser linked to the member and the cookie choices made in it.</summary>
public sealed record MemberVisitorExport(string VisitorId, DateTime LinkedAt, IReadOnlyList<ConsentHistoryEntry> Records);
