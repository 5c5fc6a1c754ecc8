namespace Consent.Core.Requests;

/// <summary>
/// One step of a request's history as the DPO reads it: filed, verified, assigned, a note, a reply, an extension, a file attached, closed.
/// The audit trail holds the same steps without their texts.
/// </summary>
public sealed class RequestEvent
{
    public long Id { get; set; }
    public long RequestId { get; set; }
    public DateTime At { get; set; }

    /// <summary>"requester", "system", or the team member's account e-mail.</summary>
    public required string Actor { get; set; }

    /// <summary>A <see cref="RequestEventKinds"/> name.</summary>
    public required string Kind { get; set; }

    /// <summary>The note, the reply as sent, or the reason.</summary>
    public string? Text { get; set; }

    public Guid? FileId { get; set; }
}
