namespace Consent.Core.Members;

/// <summary>One member as the privacy team's search lists them.</summary>
public sealed record MemberSummary(string Id, string UserName, string Email, bool EmailConfirmed, string? Company, DateTime CreatedAt, DateTime LastContactAt);
