namespace Consent.Core.Members;

/// <summary>One page of a search of the members, and how many match in all.</summary>
public sealed record MemberSearchResult(IReadOnlyList<MemberSummary> Members, int TotalCount);
