using Consent.Core.Consents;

namespace Consent.Core.Members;

/// <summary>One record of a member's history: a communication choice, or a cookie choice made in one of their browsers.</summary>
public sealed record MemberHistoryEntry(string Kind, string? VisitorId, ConsentHistoryEntry Record)
{
    public const string Communication = "communication";
    public const string Cookies = "cookies";
}
