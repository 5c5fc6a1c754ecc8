namespace Consent.Core.Members;

/// <summary>
/// A browser's visitor id linked to a member, by a cookie choice made while signed in or by signing in: the member's cookie
/// decisions are the records of their linked visitor ids. A link, not a record: erasure removes it.
/// </summary>
public sealed class MemberVisitor
{
    public required string VisitorId { get; set; }
    public required string MemberId { get; set; }
    public DateTime LinkedAt { get; set; }
}
