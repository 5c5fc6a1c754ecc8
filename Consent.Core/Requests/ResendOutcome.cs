namespace Consent.Core.Requests;

/// <summary>What asking for a new code answered.</summary>
public enum ResendOutcome
{
    Sent,

    /// <summary>The request was sent all the codes it may have (<see cref="RequestOptions.CodesPerRequest"/>): it must be filed again.</summary>
    NoCodesLeft,

    /// <summary>No request awaits a code under this reference.</summary>
    NotAwaiting,
}
