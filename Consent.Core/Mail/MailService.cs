using System.Net.Sockets;
using System.Security.Cryptography;
using FluentValidation;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;
using MimeKit.Utils;

namespace Consent.Core.Mail;

/// <summary>
/// Sends the center's mail: over SMTP (<c>Consent:Mail:Smtp</c>), one connection per mail, or into the pickup folder
/// (<c>Consent:Mail:PickupDirectory</c>) as one <c>.eml</c> file each. Logs the category and the outcome, never the recipient or the body.
/// </summary>
public sealed partial class MailService(IOptions<MailOptions> options, IValidator<OutgoingMail> validator, TimeProvider time, ILogger<MailService> log)
{
    private readonly MailOptions options = options.Value;

    /// <summary>False when neither a server nor a pickup folder is set; <see cref="SendAsync"/> then refuses every mail.</summary>
    public bool CanSend => options.CanSend;

    /// <summary>
    /// Sends the mail, or writes it to the pickup folder. Throws FluentValidation's <see cref="ValidationException"/> for a
    /// mail that must not leave (bad address, marketing without unsubscribe) and <see cref="MailNotSentException"/> when it could not.
    /// </summary>
    public async Task SendAsync(OutgoingMail mail, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(mail, ct);
        var category = CategoryName(mail.Category);
        if (!CanSend)
        {
            const string reason = "neither Consent:Mail:Smtp:Host nor Consent:Mail:PickupDirectory is set";
            LogNotSent(log, category, reason);
            throw new MailNotSentException($"The mail was not sent: {reason}.");
        }
        var message = Compose(mail);
        if (!string.IsNullOrWhiteSpace(options.PickupDirectory))
        {
            await WriteToPickupAsync(message, category, ct);
        }
        else
        {
            await SendOverSmtpAsync(message, category, ct);
        }
    }

    private MimeMessage Compose(OutgoingMail mail)
    {
        var from = MailboxAddress.Parse(options.From);
        var message = new MimeMessage
        {
            Date = time.GetUtcNow(),
            MessageId = MimeUtils.GenerateMessageId(from.Domain),
            Subject = mail.Subject,
        };
        message.From.Add(new MailboxAddress(options.FromName, from.Address));
        message.To.Add(new MailboxAddress(mail.ToName ?? "", mail.To));
        var body = new BodyBuilder { TextBody = mail.Text, HtmlBody = mail.Html };
        message.Body = body.ToMessageBody();
        if (mail.Unsubscribe is { } unsubscribe)
        {
            // RFC 8058: the mail program POSTs "List-Unsubscribe=One-Click" to the address, with no page for the member to find.
            message.Headers.Add(HeaderId.ListUnsubscribe, $"<{unsubscribe.AbsoluteUri}>");
            message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        }
        return message;
    }

    private async Task WriteToPickupAsync(MimeMessage message, string category, CancellationToken ct)
    {
        var folder = options.PickupDirectory!;
        var name = $"{time.GetUtcNow():yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.eml";
        // Written under a name no reader of *.eml looks at, then renamed: a reader sees the whole file or none.
        var partial = Path.Combine(folder, $".{name}.partial");
        try
        {
            Directory.CreateDirectory(folder);
            await using (var file = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await message.WriteToAsync(file, ct);
                await file.FlushAsync(ct);
            }
            File.Move(partial, Path.Combine(folder, name));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            File.Delete(partial);
            var reason = $"the pickup folder could not be written ({e.GetType().Name})";
            LogNotSent(log, category, reason);
            throw new MailNotSentException($"The mail was not written to Consent:Mail:PickupDirectory: {e.Message}", e);
        }
        LogWritten(log, category, message.MessageId!);
    }

    private async Task SendOverSmtpAsync(MimeMessage message, string category, CancellationToken ct)
    {
        var smtp = options.Smtp;
        using var client = new SmtpClient { Timeout = smtp.TimeoutSeconds * 1000 };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(smtp.TimeoutSeconds));
        try
        {
            await client.ConnectAsync(smtp.Host!, smtp.Port, MailSecurity.ToSocketOptions(smtp.Security), timeout.Token);
            if (!string.IsNullOrEmpty(smtp.Username)) await client.AuthenticateAsync(smtp.Username, smtp.Password ?? "", timeout.Token);
            await client.SendAsync(message, timeout.Token);
        }
        catch (Exception e) when (Reason(e, smtp, ct) is { } reason)
        {
            LogNotSent(log, category, reason);
            throw new MailNotSentException($"The mail was not sent through {smtp.Host}:{smtp.Port}: {reason}.", e);
        }
        LogSent(log, category, smtp.Host!, message.MessageId!);
        try
        {
            await client.DisconnectAsync(quit: true, timeout.Token);
        }
        catch (Exception e) when (Reason(e, smtp, ct) is not null)
        {
            // The server has accepted the mail; a lost QUIT changes nothing for it.
        }
    }

    /// <summary>A reason that names no recipient, body or secret; null for an exception that is not a failed send (the caller's cancellation).</summary>
    private static string? Reason(Exception e, MailSmtpOptions smtp, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => null,
        OperationCanceledException or TimeoutException => $"no answer within {smtp.TimeoutSeconds} s",
        // The server's own text may quote the recipient's address: only its code is kept.
        SmtpCommandException c => $"the server refused it ({(int)c.StatusCode}, {c.ErrorCode})",
        AuthenticationException => "the server refused the credentials of Consent:Mail:Smtp:Username",
        NotSupportedException => "Consent:Mail:Smtp:Username is set, but the server offers no authentication",
        SslHandshakeException => "the TLS handshake failed (the server's certificate, or Consent:Mail:Smtp:Security)",
        SocketException s => $"could not connect ({s.SocketErrorCode})",
        SmtpProtocolException or IOException => $"the connection failed ({e.Message})",
        ServiceNotAuthenticatedException => "the server requires authentication (set Consent:Mail:Smtp:Username and Password)",
        ServiceNotConnectedException => "the connection was lost",
        _ => null,
    };

    private static string CategoryName(MailCategory category) => category == MailCategory.Marketing ? "marketing" : "transactional";

    [LoggerMessage(EventId = 2100, EventName = "MailSent", Level = LogLevel.Information,
        Message = "A {Category} mail was handed to the SMTP server {Host} as {MessageId}")]
    private static partial void LogSent(ILogger logger, string category, string host, string messageId);

    [LoggerMessage(EventId = 2101, EventName = "MailWrittenToPickup", Level = LogLevel.Information,
        Message = "A {Category} mail was written to the pickup folder as {MessageId}, not sent")]
    private static partial void LogWritten(ILogger logger, string category, string messageId);

    [LoggerMessage(EventId = 2102, EventName = "MailNotSent", Level = LogLevel.Warning, Message = "A {Category} mail was not sent: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string category, string reason);
}
