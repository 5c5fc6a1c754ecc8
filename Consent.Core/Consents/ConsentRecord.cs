namespace Consent.Core.Consents;

public enum ConsentMethod { AcceptAll, RejectAll, Custom, Withdrawal }

/// <summary>Where a choice was made. Stored by name; new values are appended at the end.</summary>
public enum ConsentSource
{
    Banner,
    PreferenceCenter,

    /// <summary>The "Allow …" button of a placeholder that stands in for blocked content (ConsentGate).</summary>
    Placeholder,
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

    /// <summary>Random 128-bit id (32 hex digits) created on the visitor's first choice.</summary>
    public required string VisitorId { get; set; }

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

    public List<ConsentDecision> Decisions { get; set; } = [];
}

/// <summary>Granted or denied, for one category, inside one record.</summary>
public sealed class ConsentDecision
{
    public required string CategoryKey { get; set; }
    public bool Granted { get; set; }
}
