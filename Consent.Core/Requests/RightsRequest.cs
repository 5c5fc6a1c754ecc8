namespace Consent.Core.Requests;

/// <summary>
/// A rights request. Filed by a person through <c>/privacy/request</c>, it waits for the e-mail check; once verified it is in the register
/// with its due date, counted from <see cref="ReceivedAt"/> as the regulation counts a month (<see cref="RequestDeadlines"/>).
/// </summary>
public sealed class RightsRequest
{
    public long Id { get; set; }

    /// <summary>What the requester and the DPO quote ("R-7K3M9QXP"): random, so one reference tells nothing of another.</summary>
    public required string Reference { get; set; }

    public RequestType Type { get; set; }
    public RequestStatus Status { get; set; }

    /// <summary>The requester's address: where the code, the acknowledgement and every answer go.</summary>
    public required string Email { get; set; }

    public string? Name { get; set; }

    /// <summary>The language the requester wrote in, and is answered in ("en", "fr").</summary>
    public required string Language { get; set; }

    public string Details { get; set; } = "";

    /// <summary>A consent id the requester quoted, from a receipt or the preference center.</summary>
    public Guid? ConsentId { get; set; }

    /// <summary>The visitor id of <see cref="ConsentId"/>'s record, set only when the requester's consent cookie proved it was theirs.</summary>
    public string? VisitorId { get; set; }

    /// <summary>The member the request is verified for: filed while signed in, or confirmed from the account's own confirmed address.</summary>
    public string? MemberId { get; set; }

    public DateTime FiledAt { get; set; }

    /// <summary>SHA-256 (hex) of the e-mail code; cleared once verified.</summary>
    public string? CodeHash { get; set; }

    public DateTime? CodeExpiresAt { get; set; }
    public int CodeAttempts { get; set; }
    public int CodesSent { get; set; }

    /// <summary>When the request was verified: it enters the register then, and the month runs from this day.</summary>
    public DateTime? ReceivedAt { get; set; }

    /// <summary>The last day of the first month: an extension is refused after it.</summary>
    public DateOnly? FirstDueOn { get; set; }

    /// <summary>The last day to answer: <see cref="FirstDueOn"/>, or later once extended.</summary>
    public DateOnly? DueOn { get; set; }

    /// <summary>0, or the 1 or 2 further months of an extension.</summary>
    public int ExtensionMonths { get; set; }

    public string? ExtensionReason { get; set; }
    public DateTime? ExtendedAt { get; set; }

    /// <summary>The team member working on it (their account's e-mail, as the audit trail names them).</summary>
    public string? AssignedTo { get; set; }

    public DateTime? ClosedAt { get; set; }

    /// <summary>The reason of a refusal or of a withdrawal, as told to the requester.</summary>
    public string? ClosingReason { get; set; }

    /// <summary>Changes with every update: two team members acting at once cannot both succeed on stale state.</summary>
    public string Stamp { get; set; } = Guid.NewGuid().ToString("N");
}
