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
