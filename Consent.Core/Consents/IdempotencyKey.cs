namespace Consent.Core.Consents;

/// <summary>
/// A client's <c>Idempotency-Key</c> for a recorded choice, stored in the record's own transaction: a retry with the same key
/// (also after the first answer was lost, or the server killed after the commit) is answered from that record, never stored twice.
/// Kept for <see cref="ConsentService.IdempotencyWindow"/>; the key itself is not kept, only its hash.
/// </summary>
public sealed class IdempotencyKey
{
    /// <summary>SHA-256 of the key as the client sent it.</summary>
    public byte[] KeyHash { get; set; } = [];

    /// <summary>SHA-256 of what was asked (the choice and the visitor it was for): the same key for another choice is refused.</summary>
    public byte[] RequestHash { get; set; } = [];

    public Guid ConsentId { get; set; }

    public DateTime CreatedAt { get; set; }
}
