namespace Consent.Core.Requests;

/// <summary>
/// A file for the requester (their export, a visitor's consent history), never sent in the mail itself. The reply that first sends it
/// carries a link with a random token, stored only as its hash, that opens the file until <see cref="ExpiresAt"/>; the content is removed
/// once expired.
/// </summary>
public sealed class RequestFile
{
    public Guid Id { get; set; } = Guid.NewGuid();
    public long RequestId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }

    /// <summary>Null once the link has expired and the daily run removed it.</summary>
    public byte[]? Content { get; set; }

    /// <summary>SHA-256 (hex) of the link's token; null until a reply sends the link.</summary>
    public string? TokenHash { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>When a reply sent the link.</summary>
    public DateTime? SentAt { get; set; }

    public DateTime? ExpiresAt { get; set; }
    public int Downloads { get; set; }
    public DateTime? LastDownloadAt { get; set; }
}
