namespace Consent.Core.Requests;

/// <summary>
/// A request just filed: awaiting its e-mail check (a code sent) or, filed by a signed-in member, open with its due date.
/// <see cref="MailSent"/> is false when the code or acknowledgement could not be mailed (the request is stored all the same).
/// </summary>
public sealed record RequestFiled(string Reference, RequestStatus Status, DateOnly? DueOn, bool MailSent);
