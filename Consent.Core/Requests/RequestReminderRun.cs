namespace Consent.Core.Requests;

/// <summary>
/// What one run of <see cref="RequestReminders"/> did: the requests the DPO's reminder listed and the addresses it went to (none when it
/// was not due, already sent today, or failed), the unverified requests deleted, the closed ones deleted after their retention, and the files whose content was removed.
/// </summary>
public sealed record RequestReminderRun(int Listed, IReadOnlyList<string> Recipients, int Purged, int FilesRemoved, int ClosedDeleted)
{
    public bool DidSomething => Recipients.Count > 0 || Purged > 0 || FilesRemoved > 0 || ClosedDeleted > 0;
}
