namespace Consent.Core.Members;

/// <summary>
/// What one run of <see cref="MemberRetention"/> did, in counts: offers opt-ins lapsed, inactive accounts warned and erased, and
/// warnings that could not be sent (tried again on the next run). <see cref="Skipped"/>: another instance was running it.
/// </summary>
public sealed record MemberRetentionRun(int OffersLapsed, int Warned, int Erased, int WarningsFailed, bool Skipped = false)
{
    public bool DidSomething => OffersLapsed + Warned + Erased + WarningsFailed > 0;
}
