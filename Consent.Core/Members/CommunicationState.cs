namespace Consent.Core.Members;

/// <summary>
/// A member's e-mail choices as their newest communication record says, and what is actually sent: an objection to
/// prospecting stops offers whatever was ticked, and a restriction stops everything.
/// </summary>
public sealed record CommunicationState(IReadOnlySet<string> OptedIn, Guid? ConsentId, DateTime? RecordedAt, bool Objected, bool Restricted)
{
    public static CommunicationState None(bool objected = false, bool restricted = false) =>
        new(new HashSet<string>(StringComparer.Ordinal), null, null, objected, restricted);

    public bool IsOptedIn(string purpose) => OptedIn.Contains(purpose);

    /// <summary>Whether e-mails of that purpose may be sent to the member now.</summary>
    public bool Sends(string purpose) => !Restricted && OptedIn.Contains(purpose) && !(Objected && CommunicationPurposes.IsProspecting(purpose));
}
