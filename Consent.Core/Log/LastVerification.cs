namespace Consent.Core.Log;

/// <summary>The newest verification of the log, as the audit trail keeps it: when, by whom, and what it found.</summary>
public sealed record LastVerification(DateTime At, string Actor, LogVerification Result);
