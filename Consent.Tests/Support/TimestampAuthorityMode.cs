namespace Consent.Tests.Support;

/// <summary>How <see cref="LocalTimestampAuthority"/> answers.</summary>
public enum TimestampAuthorityMode
{
    Stamps,
    Fails,
    AnswersGarbage,
    ReplaysLastReply,
}
