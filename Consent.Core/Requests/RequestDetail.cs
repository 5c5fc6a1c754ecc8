namespace Consent.Core.Requests;

/// <summary>Everything the request's page shows: the facts, the identity checks, the deadlines, the history and the files.</summary>
public sealed record RequestDetail
{
    public required string Reference { get; init; }
    public RequestType Type { get; init; }
    public RequestStatus Status { get; init; }
    public required string Email { get; init; }
    public string? Name { get; init; }
    public required string Language { get; init; }
    public required string Details { get; init; }
    public Guid? ConsentId { get; init; }
    public DateTime FiledAt { get; init; }
    public DateTime? ReceivedAt { get; init; }
    public DateOnly? FirstDueOn { get; init; }
    public DateOnly? DueOn { get; init; }
    public int ExtensionMonths { get; init; }
    public string? ExtensionReason { get; init; }
    public DateTime? ExtendedAt { get; init; }
    public string? AssignedTo { get; init; }
    public DateTime? ClosedAt { get; init; }
    public string? ClosingReason { get; init; }

    /// <summary>Days left until the due date while pending, negative once overdue.</summary>
    public int? DaysLeft { get; init; }

    public bool DueSoon { get; init; }
    public bool Overdue { get; init; }

    /// <summary>Whether the first month still runs and months are left to add (the inbox decides in the end).</summary>
    public bool CanExtend { get; init; }

    /// <summary>The member the request is verified for, while the account exists.</summary>
    public string? MemberId { get; init; }

    public string? MemberUserName { get; init; }

    /// <summary>The requester's consent cookie proved <see cref="ConsentId"/> was theirs.</summary>
    public bool ConsentProven { get; init; }

    /// <summary>How the requester's identity was checked: <see cref="RequestRegister.VerifiedBy"/>'s names.</summary>
    public required IReadOnlyList<string> VerifiedBy { get; init; }

    public required RequestFulfilments Fulfilments { get; init; }
    public required IReadOnlyList<RequestHistoryEntry> History { get; init; }
    public required IReadOnlyList<RequestFileSummary> Files { get; init; }

    public bool IsPending => RequestVocabulary.IsPending(Status);
}
