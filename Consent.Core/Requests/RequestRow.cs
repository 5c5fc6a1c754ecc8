namespace Consent.Core.Requests;

/// <summary>
/// One request as the register lists it. <see cref="DaysLeft"/>, <see cref="DueSoon"/> and <see cref="Overdue"/> are for pending
/// requests only (null and false once closed, or before verification when there is no due date).
/// </summary>
public sealed record RequestRow(
    string Reference,
    RequestType Type,
    RequestStatus Status,
    string Requester,
    DateTime? ReceivedAt,
    DateOnly? DueOn,
    int? DaysLeft,
    bool DueSoon,
    bool Overdue,
    string? AssignedTo);

/// <summary>One page of the register and how many requests match in all.</summary>
public sealed record RequestRegisterPage(IReadOnlyList<RequestRow> Rows, int TotalCount);

/// <summary>The dashboard's figures: pending requests, those due within <see cref="RequestOptions.DueSoonDays"/>, and those overdue.</summary>
public sealed record RequestCounts(int Pending, int DueSoon, int Overdue);
