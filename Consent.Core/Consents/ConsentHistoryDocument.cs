namespace Consent.Core.Consents;

/// <summary>What "Download my consent history" gives: the visitor id the cookie proves and every record of it, newest first.</summary>
public sealed record ConsentHistoryDocument(string VisitorId, DateTime DownloadedAt, IReadOnlyList<ConsentHistoryEntry> Records);
