namespace Consent.Core.Requests;

/// <summary>One page of the register and how many requests match in all.</summary>
public sealed record RequestRegisterPage(IReadOnlyList<RequestRow> Rows, int TotalCount);
