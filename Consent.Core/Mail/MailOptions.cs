namespace Consent.Core.Mail;

/// <summary>Settings of section "Consent:Mail": who the center's mail is from, and how it leaves (SMTP or a pickup folder).</summary>
public sealed class MailOptions
{
    public const string Section = "Mail";

    /// <summary>The sender's address; its domain also names every Message-ID.</summary>
    public string From { get; set; } = "privacy@localhost";

    public string FromName { get; set; } = "Community privacy center";

    public MailSmtpOptions Smtp { get; set; } = new();

    /// <summary>When set, each mail is written there as one <c>.eml</c> file instead of being sent.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>False when neither a server nor a pickup folder is set: the center runs, and a mail it tries to send is refused.</summary>
    public bool CanSend => !string.IsNullOrWhiteSpace(PickupDirectory) || !string.IsNullOrWhiteSpace(Smtp.Host);
}
