using MailKit.Security;

namespace Consent.Core.Mail;

/// <summary>The values of <c>Consent:Mail:Smtp:Security</c> and what each asks of the connection.</summary>
public static class MailSecurity
{
    /// <summary>TLS from the first byte on port 465, otherwise STARTTLS when the server offers it.</summary>
    public const string Auto = "auto";

    /// <summary>STARTTLS, required: a server that does not offer it gets no mail.</summary>
    public const string StartTls = "starttls";

    /// <summary>TLS from the first byte (SMTPS, usually port 465).</summary>
    public const string Tls = "tls";

    /// <summary>No encryption: for a relay on the same host or a test server only.</summary>
    public const string None = "none";

    public static IReadOnlyList<string> All { get; } = [Auto, StartTls, Tls, None];

    public static bool IsKnown(string? value) => All.Contains(value?.Trim().ToLowerInvariant());

    internal static SecureSocketOptions ToSocketOptions(string value) => value.Trim().ToLowerInvariant() switch
    {
        StartTls => SecureSocketOptions.StartTls,
        Tls => SecureSocketOptions.SslOnConnect,
        None => SecureSocketOptions.None,
        _ => SecureSocketOptions.Auto,
    };
}
