namespace Consent.Core.Requests;

/// <summary>What the e-mail check answered.</summary>
public enum VerificationOutcome
{
    /// <summary>The right code: the request is in the register.</summary>
    Verified,

    /// <summary>A wrong code, counted; attempts remain.</summary>
    WrongCode,

    /// <summary>The code's time has run out: a new code is needed.</summary>
    Expired,

    /// <summary>Too many wrong codes: a new code is needed.</summary>
    TooManyAttempts,

    /// <summary>No request awaits a code under this reference (none, verified already, or removed unverified).</summary>
    NotAwaiting,
}
