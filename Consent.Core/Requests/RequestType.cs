namespace Consent.Core.Requests;

/// <summary>The rights a person can exercise, as the seed and GDPR name them (Art. 15–22, and LIL art. 85 for a directive after death).</summary>
public enum RequestType
{
    Access = 0,
    Rectification = 1,
    Erasure = 2,
    Restriction = 3,
    Portability = 4,
    Objection = 5,
    Withdrawal = 6,
    AutomatedDecision = 7,
    DeathDirective = 8,
    Other = 9,
}
