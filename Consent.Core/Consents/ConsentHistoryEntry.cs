namespace Consent.Core.Consents;

/// <summary>One record of a visitor's consent history as they download it: everything stored about the record, and its place in the log.</summary>
public sealed record ConsentHistoryEntry(
    Guid ConsentId,
    DateTime RecordedAt,
    DateTime ExpiresAt,
    int PolicyVersion,
    string PolicyHash,
    string Method,
    string Source,
    string Language,
    string Browser,
    string? Site,
    IReadOnlyList<ConsentHistoryDecision> Decisions,
    long? LogIndex);

/// <summary>Granted or denied, for one category, inside one downloaded record.</summary>
public sealed record ConsentHistoryDecision(string Category, bool Granted);
