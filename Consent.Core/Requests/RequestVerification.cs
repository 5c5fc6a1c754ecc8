namespace Consent.Core.Requests;

/// <summary>
/// The answer to a code: the outcome, the due date once verified, the wrong codes still allowed, the new codes still available, and
/// whether the acknowledgement could be mailed.
/// </summary>
public sealed record RequestVerification(VerificationOutcome Outcome, string Reference, DateOnly? DueOn, int AttemptsLeft, int CodesLeft,
    bool AcknowledgementSent = false);
