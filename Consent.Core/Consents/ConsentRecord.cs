namespace Consent.Core.Consents;

/// <summary>How a choice was made. Stored as its number: a value keeps its number for ever, new ones come after.</summary>
public enum ConsentMethod
{
    AcceptAll = 0,
    RejectAll = 1,
    Custom = 2,
    Withdrawal = 3,

    /// <summary>The visitor erased their history (or retention did): every optional category refused, and no visitor id.</summary>
    Erasure = 4,

    /// <summary>An opt-in that lapsed by the seed's retention rule (commercial offers, 3 years after the last contact).</summary>
    Expiry = 5,
}

/// <summary>Where a choice was made. Stored as its number: a value keeps its number for ever, new ones come after.</summary>
public enum ConsentSource
{
    Banner = 0,
    PreferenceCenter = 1,

    /// <summary>The "Allow …" button of a placeholder that stands in for blocked content (ConsentGate).</summary>
    Placeholder = 2,

    /// <summary>A member's communication preferences, on their privacy page (and their account's erasure).</summary>
    MemberPrivacy = 3,

    /// <summary>The one-click unsubscribe link of an e-mail (RFC 8058).</summary>
    Unsubscribe = 4,

    /// <summary>The members' retention job: a lapsed opt-in, or an inactive account erased.</summary>
    MemberRetention = 5,

    /// <summary>The DPO fulfilling a rights request from the inbox: a member's account erased.</summary>
    RightsRequest = 6,
}

/// <summary>
/// One decision of one visitor, kept as proof. Records are only ever appended: a change or a
/// withdrawal is a new record, and the visitor's current state is their newest record.
/// No IP address is stored.
/// </summary>
public sealed class ConsentRecord
{
    /// <summary>The consent id shown to the visitor as a receipt.</summary>
    public Guid Id { get; set; }

    /// <summary>Random 128-bit id (32 hex digits) created on the visitor's first choice; null once erased.</summary>
    public string? VisitorId { get; set; }

    /// <summary>The salt of <see cref="VisitorCommitment"/>, erased with the visitor id.</summary>
    public byte[]? VisitorSalt { get; set; }

    /// <summary>SHA-256(salt || visitor id): what the leaf holds instead of the id, kept after erasure (docs/log.md).</summary>
    public byte[]? VisitorCommitment { get; set; }

    /// <summary>The record's leaf in the log's tree, in the order of commit across every instance.</summary>
    public long? LogIndex { get; set; }

    /// <summary>RFC 9162 hash of the record's leaf text (<see cref="Log.LogLeaf"/>), as it was appended.</summary>
    public byte[]? LeafHash { get; set; }

    public int PolicyVersion { get; set; }
    public ConsentMethod Method { get; set; }
    public ConsentSource Source { get; set; }
    public DateTime RecordedAt { get; set; }
    public DateTime ExpiresAt { get; set; }

    /// <summary>Primary language subtag of the browser's Accept-Language ("en", "fr"), or "und".</summary>
    public required string Language { get; set; }

    /// <summary>Browser family only ("Chrome", "Firefox"), never the full user agent.</summary>
    public required string BrowserFamily { get; set; }

    /// <summary>
    /// The configured site (<c>Consent:Sites</c>) whose page made the choice through the API and the embedded
    /// script; null for the center's own pages.
    /// </summary>
    public string? Site { get; set; }

    /// <summary>Every category of the catalogue at the time, in its order, granted or denied; stored inside the record.</summary>
    public List<ConsentDecision> Decisions { get; set; } = [];
}

/// <summary>Granted or denied, for one category, inside one record.</summary>
public sealed class ConsentDecision
{
    public required string CategoryKey { get; set; }
    public bool Granted { get; set; }
}
