namespace Consent.Core.Mail;

/// <summary>Settings of section "Consent:Mail:Smtp": the server the center hands its mail to.</summary>
public sealed class MailSmtpOptions
{
    public string? Host { get; set; }

    public int Port { get; set; } = 587;

    /// <summary><c>auto</c>, <c>starttls</c>, <c>tls</c> or <c>none</c> (see <see cref="MailSecurity"/>).</summary>
    public string Security { get; set; } = MailSecurity.Auto;

    /// <summary>When set, the center authenticates with it and <see cref="Password"/>.</summary>
    public string? Username { get; set; }

    public string? Password { get; set; }

    public int TimeoutSeconds { get; set; } = 30;
}
