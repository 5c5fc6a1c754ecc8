namespace Consent.Core.Requests;

/// <summary>The answer to "send a new code": the outcome, the codes still available after it, and whether the mail left.</summary>
public sealed record CodeResend(ResendOutcome Outcome, int CodesLeft, bool MailSent);
