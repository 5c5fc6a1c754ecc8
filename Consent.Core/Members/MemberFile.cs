using Consent.Core.Consents;

namespace Consent.Core.Members;

/// <summary>
/// One member as the privacy team opens them: everything the member's own download holds (<see cref="Export"/>), and their
/// communication state, which says what is actually sent.
/// </summary>
public sealed record MemberFile(string Id, MemberExport Export, CommunicationState Communications)
{
    public int LinkedBrowsers => Export.CookieConsents.Count;

    /// <summary>Communication records and the cookie records of linked browsers together, newest first.</summary>
    public IReadOnlyList<MemberHistoryEntry> History { get; } =
        Export.CommunicationRecords.Select(r => new MemberHistoryEntry(MemberHistoryEntry.Communication, null, r))
            .Concat(Export.CookieConsents.SelectMany(v => v.Records.Select(r => new MemberHistoryEntry(MemberHistoryEntry.Cookies, v.VisitorId, r))))
            .OrderByDescending(e => e.Record.RecordedAt).ThenByDescending(e => e.Record.ConsentId)
            .ToList();
}
