using System.Net;
using System.Net.Sockets;
using Consent.Core.Mail;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MimeKit;

namespace Consent.Tests.Mail;

/// <summary>The center's mail through a real SMTP server on a loopback port, and into a real pickup folder.</summary>
public sealed class MailServiceTests : IAsyncDisposable
{
    private const string Token = "tok-3f9a1c7e5b";
    private static readonly Uri UnsubscribeUrl = new($"https://consent.example.org/unsubscribe?token={Token}");
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly CapturedLog log = new();
    private readonly List<ServiceProvider> providers = [];
    private readonly List<SmtpInbox> inboxes = [];
    private readonly string pickup = Path.Combine(Path.GetTempPath(), $"consent-mail-test-{Guid.NewGuid():N}");

    private static OutgoingMail Welcome => new("ada@example.org", "Confirm your address", "Open this link to confirm: https://consent.example.org/confirm?c=123")
    {
        ToName = "Ada Lovelace",
    };

    private static OutgoingMail Newsletter => new("ada@example.org", "Newsletter — décembre", "Cette semaine : les évènements de la communauté.")
    {
        Html = "<p>Cette semaine : les <b>évènements</b> de la communauté.</p>",
        Category = MailCategory.Marketing,
        Unsubscribe = UnsubscribeUrl,
    };

    private async Task<SmtpInbox> InboxAsync(string? username = null, string? password = null)
    {
        var inbox = await SmtpInbox.StartAsync(username, password);
        inboxes.Add(inbox);
        return inbox;
    }

    private MailService Mail(Dictionary<string, string> settings)
    {
        var provider = new ServiceCollection()
            .AddLogging(l => l.AddProvider(log).SetMinimumLevel(LogLevel.Trace))
            .AddSingleton<TimeProvider>(new FakeTimeProvider(TestDatabase.Start))
            .AddConsentMail(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, (string?)s.Value))).Build())
            .BuildServiceProvider();
        providers.Add(provider);
        return provider.GetRequiredService<MailService>();
    }

    private static int PortWithNothingListening()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task A_mail_sent_over_smtp_arrives_with_its_sender_recipient_subject_date_and_text()
    {
        var inbox = await InboxAsync();
        var mail = Mail(inbox.Settings(prefix: ""));

        await mail.SendAsync(Welcome);

        var received = await inbox.WaitForMailToAsync("ada@example.org", Wait);
        Assert.Equal("\"Community privacy center\" <privacy@localhost>", received.From.ToString());
        Assert.Equal("\"Ada Lovelace\" <ada@example.org>", received.To.ToString());
        Assert.Equal("Confirm your address", received.Subject);
        Assert.Equal(TestDatabase.Start, received.Date);
        Assert.EndsWith("@localhost", received.MessageId);
        Assert.Equal("Open this link to confirm: https://consent.example.org/confirm?c=123", received.TextBody?.TrimEnd());
        Assert.Null(received.HtmlBody);
        Assert.DoesNotContain(received.Headers, h => h.Field.StartsWith("List-Unsubscribe", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task The_configured_sender_names_the_mail_and_its_message_id()
    {
        var inbox = await InboxAsync();
        var mail = Mail(new(inbox.Settings(prefix: "")) { ["From"] = "privacy@consent.example.org", ["FromName"] = "Example privacy team" });

        await mail.SendAsync(Welcome);

        var received = await inbox.WaitForMailToAsync("ada@example.org", Wait);
        Assert.Equal("\"Example privacy team\" <privacy@consent.example.org>", received.From.ToString());
        Assert.EndsWith("@consent.example.org", received.MessageId);
    }

    [Fact]
    public async Task A_marketing_mail_carries_exactly_the_two_one_click_unsubscribe_headers_and_utf8_text_and_html()
    {
        var inbox = await InboxAsync();
        var mail = Mail(inbox.Settings(prefix: ""));

        await mail.SendAsync(Newsletter);

        var received = await inbox.WaitForMailToAsync("ada@example.org", Wait);
        var unsubscribe = received.Headers.Where(h => h.Field.StartsWith("List-Unsubscribe", StringComparison.OrdinalIgnoreCase))
            .Select(h => $"{h.Field}: {h.Value.Trim()}").ToList();
        Assert.Equal([$"List-Unsubscribe: <{UnsubscribeUrl.AbsoluteUri}>", "List-Unsubscribe-Post: List-Unsubscribe=One-Click"], unsubscribe);
        Assert.Equal("Newsletter — décembre", received.Subject);
        Assert.Equal("Cette semaine : les évènements de la communauté.", received.TextBody?.TrimEnd());
        Assert.Equal("<p>Cette semaine : les <b>évènements</b> de la communauté.</p>", received.HtmlBody?.TrimEnd());
        Assert.All(received.BodyParts.OfType<TextPart>(), p => Assert.Equal("utf-8", p.ContentType.Charset, ignoreCase: true));
        Assert.Equal("multipart/alternative", received.Body?.ContentType.MimeType);
    }

    [Fact]
    public async Task A_marketing_mail_without_an_unsubscribe_address_is_refused_and_nothing_is_sent()
    {
        var inbox = await InboxAsync();
        var mail = Mail(inbox.Settings(prefix: ""));

        var error = await Assert.ThrowsAsync<ValidationException>(() => mail.SendAsync(Newsletter with { Unsubscribe = null }));

        Assert.Contains("A marketing mail must carry a one-click unsubscribe address (RFC 8058)", error.Message);
        Assert.Empty(inbox.Messages);
    }

    [Theory]
    [InlineData("not an address", "", "is not one e-mail address")]
    [InlineData("Ada <ada@example.org>", "", "is not one e-mail address")]
    [InlineData("ada@example.org, eve@example.org", "", "is not one e-mail address")]
    [InlineData("ada@example.org", "Hello\r\nBcc: eve@example.org", "The subject must be one line.")]
    [InlineData("ada@example.org", "", "A mail needs a subject.")]
    public async Task A_mail_with_a_bad_recipient_or_subject_is_refused_with_a_clear_message(string to, string subject, string message)
    {
        var inbox = await InboxAsync();
        var mail = Mail(inbox.Settings(prefix: ""));

        var error = await Assert.ThrowsAsync<ValidationException>(() => mail.SendAsync(Welcome with { To = to, Subject = subject }));

        Assert.Contains(message, error.Message);
        Assert.Empty(inbox.Messages);
    }

    [Theory]
    [InlineData("/unsubscribe?token=1")]
    [InlineData("mailto:unsubscribe@example.org")]
    public async Task An_unsubscribe_address_that_is_not_absolute_http_is_refused(string url)
    {
        var mail = Mail(new() { ["PickupDirectory"] = pickup });

        var error = await Assert.ThrowsAsync<ValidationException>(() => mail.SendAsync(Newsletter with { Unsubscribe = new Uri(url, UriKind.RelativeOrAbsolute) }));

        Assert.Contains("The unsubscribe address must be an absolute http(s) URL.", error.Message);
        Assert.False(Directory.Exists(pickup));
    }

    [Fact]
    public async Task With_a_pickup_folder_the_mail_is_one_eml_file_that_parses_back_and_nothing_goes_over_smtp()
    {
        var inbox = await InboxAsync();
        var mail = Mail(new(inbox.Settings(prefix: "")) { ["PickupDirectory"] = pickup });

        await mail.SendAsync(Newsletter);

        var file = Assert.Single(Directory.GetFiles(pickup));
        Assert.Matches(@"^\d{8}T\d{9}Z-[0-9a-f]{12}\.eml$", Path.GetFileName(file));
        Assert.StartsWith("20261129T100000000Z-", Path.GetFileName(file));
        var written = await MimeMessage.LoadAsync(file);
        Assert.Equal("\"Community privacy center\" <privacy@localhost>", written.From.ToString());
        Assert.Equal("ada@example.org", written.To.Mailboxes.Single().Address);
        Assert.Equal("Newsletter — décembre", written.Subject);
        Assert.Equal("Cette semaine : les évènements de la communauté.", written.TextBody?.TrimEnd());
        Assert.Equal($"<{UnsubscribeUrl.AbsoluteUri}>", written.Headers[HeaderId.ListUnsubscribe]?.Trim());
        Assert.Equal("List-Unsubscribe=One-Click", written.Headers["List-Unsubscribe-Post"]?.Trim());
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task Two_mails_in_the_same_millisecond_are_two_files()
    {
        var mail = Mail(new() { ["PickupDirectory"] = pickup });

        await mail.SendAsync(Welcome);
        await mail.SendAsync(Welcome with { Subject = "Second" });

        Assert.Equal(2, Directory.GetFiles(pickup, "*.eml").Length);
        Assert.Equal(2, Directory.GetFiles(pickup).Length);
    }

    [Fact]
    public async Task With_nothing_listening_the_send_fails_with_MailNotSentException_and_a_warning()
    {
        var mail = Mail(new() { ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = $"{PortWithNothingListening()}", ["Smtp:Security"] = "none" });

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => mail.SendAsync(Welcome));

        Assert.Contains("could not connect (ConnectionRefused)", error.Message);
        var warning = Assert.Single(log.Entries, e => e.EventId.Id == 2102);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains("transactional", warning.Message);
    }

    [Fact]
    public async Task Without_a_server_or_a_pickup_folder_a_send_is_refused_naming_both_keys()
    {
        var mail = Mail([]);

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => mail.SendAsync(Welcome));

        Assert.False(mail.CanSend);
        Assert.Contains("neither Consent:Mail:Smtp:Host nor Consent:Mail:PickupDirectory is set", error.Message);
    }

    [Fact]
    public async Task With_credentials_the_center_authenticates_and_a_server_that_requires_it_accepts_the_mail()
    {
        var inbox = await InboxAsync("center", "s3cret-smtp-passphrase");
        var mail = Mail(inbox.Settings(prefix: ""));

        await mail.SendAsync(Welcome);

        await inbox.WaitForMailToAsync("ada@example.org", Wait);
        Assert.Equal(["center"], inbox.Logins);
    }

    [Fact]
    public async Task Without_credentials_a_server_that_requires_them_refuses_the_mail()
    {
        var inbox = await InboxAsync("center", "s3cret-smtp-passphrase");
        var mail = Mail(new(inbox.Settings(prefix: "")) { ["Smtp:Username"] = "", ["Smtp:Password"] = "" });

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => mail.SendAsync(Welcome));

        Assert.Contains("the server requires authentication (set Consent:Mail:Smtp:Username and Password)", error.Message);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_MailNotSentException_naming_the_username_key()
    {
        var inbox = await InboxAsync("center", "s3cret-smtp-passphrase");
        var mail = Mail(new(inbox.Settings(prefix: "")) { ["Smtp:Password"] = "wrong-passphrase-42" });

        var error = await Assert.ThrowsAsync<MailNotSentException>(() => mail.SendAsync(Welcome));

        Assert.Contains("the server refused the credentials of Consent:Mail:Smtp:Username", error.Message);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task The_log_holds_the_category_and_outcome_but_no_password_recipient_body_or_unsubscribe_token()
    {
        var inbox = await InboxAsync("center", "s3cret-smtp-passphrase");
        var sending = Mail(inbox.Settings(prefix: ""));
        var refused = Mail(new(inbox.Settings(prefix: "")) { ["Smtp:Password"] = "wrong-passphrase-42" });

        await sending.SendAsync(Newsletter);
        await Assert.ThrowsAsync<MailNotSentException>(() => refused.SendAsync(Newsletter));
        await inbox.WaitForMailToAsync("ada@example.org", Wait);

        var sent = Assert.Single(log.Entries, e => e.EventId.Id == 2100);
        Assert.Equal("MailSent", sent.EventId.Name);
        Assert.Contains("A marketing mail was handed to the SMTP server 127.0.0.1", sent.Message);
        Assert.Contains(log.Entries, e => e.EventId.Id == 2102 && e.Message.Contains("marketing", StringComparison.Ordinal));
        foreach (var secret in new[] { "s3cret-smtp-passphrase", "wrong-passphrase-42", "ada@example.org", "Lovelace", Token, "évènements" })
        {
            Assert.DoesNotContain(secret, log.AllText, StringComparison.OrdinalIgnoreCase);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var provider in providers) await provider.DisposeAsync();
        foreach (var inbox in inboxes) await inbox.DisposeAsync();
        if (Directory.Exists(pickup)) Directory.Delete(pickup, recursive: true);
    }
}
