namespace Consent.Core.Requests;

/// <summary>The kinds of <see cref="RequestEvent"/>.</summary>
public static class RequestEventKinds
{
    public const string Filed = "filed";
    public const string CodeSent = "code-sent";
    public const string Verified = "verified";
    public const string Assigned = "assigned";
    public const string Note = "note";
    public const string Reply = "reply";
    public const string Extended = "extended";
    public const string FileAttached = "file-attached";
    public const string MemberErased = "member-erased";
    public const string Answered = "answered";
    public const string Refused = "refused";
    public const string Withdrawn = "withdrawn";
}
