namespace Consent.Core.Requests;

/// <summary>
/// Where a request stands. Only a verified request (<see cref="Open"/> onwards) is in the register and has a due date; answered, refused
/// and withdrawn close it.
/// </summary>
public enum RequestStatus
{
    AwaitingVerification = 0,
    Open = 1,
    InProgress = 2,
    Extended = 3,
    Answered = 4,
    Refused = 5,
    Withdrawn = 6,
}
