namespace Consent.Core.Mail;

/// <summary>One mail to one person: plain text always, HTML optionally, and for marketing a one-click unsubscribe address.</summary>
public sealed record OutgoingMail(string To, string Subject, string Text)
{
    /// <summary>The recipient's name as shown by their mail program.</summary>
    public string? ToName { get; init; }

    /// <summary>An HTML alternative to <see cref="OutgoingMail.Text"/>.</summary>
    public string? Html { get; init; }

    /// <summary>The absolute http(s) address a POST to which unsubscribes (RFC 8058); required for marketing.</summary>
    public Uri? Unsubscribe { get; init; }

    public MailCategory Category { get; init; } = MailCategory.Transactional;
}
