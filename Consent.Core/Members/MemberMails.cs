using System.Globalization;
using System.Net;
using Consent.Core.Mail;

namespace Consent.Core.Members;

/// <summary>
/// The account mails (confirmation, an address already registered, password reset, e-mail change): transactional, so without
/// unsubscribe, in the member's language, as plain text and simple HTML with the same words and the same absolute link.
/// A mail that cannot be sent is logged by <see cref="MailService"/> and not retried: the page answers as if it left, so that it
/// tells a stranger nothing, and the member can ask for a new link.
/// </summary>
public sealed class MemberMails(MailService mail)
{
    public Task SendConfirmationAsync(Member member, Uri link, CancellationToken ct = default) =>
        SendAsync(member.Email, member.Language, "Mail.Confirm", [member.UserName], link, ct);

    /// <summary>To the owner of an address someone gave again (on sign-up, or as their new address): nothing was changed.</summary>
    public Task SendAlreadyRegisteredAsync(Member owner, Uri signIn, Uri forgotPassword, CancellationToken ct = default) =>
        SendAsync(owner.Email, owner.Language, "Mail.AlreadyRegistered", [owner.UserName, forgotPassword.AbsoluteUri], signIn, ct);

    public Task SendPasswordResetAsync(Member member, Uri link, CancellationToken ct = default) =>
        SendAsync(member.Email, member.Language, "Mail.Reset", [member.UserName], link, ct);

    /// <summary>To the new address: the link that makes it the account's.</summary>
    public Task SendEmailChangeAsync(Member member, string newEmail, Uri link, CancellationToken ct = default) =>
        SendAsync(newEmail, member.Language, "Mail.EmailChange", [member.UserName], link, ct);

    /// <summary>To the old address, once the new one is confirmed: a change the owner did not make must not go unnoticed.</summary>
    public Task SendEmailChangedAsync(Member member, string oldEmail, CancellationToken ct = default) =>
        SendAsync(oldEmail, member.Language, "Mail.EmailChanged", [member.UserName, member.Email], null, ct);

    private async Task SendAsync(string to, string language, string key, object?[] args, Uri? link, CancellationToken ct)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var subject = MemberTexts.In(culture, $"{key}.Subject");
        var body = MemberTexts.In(culture, $"{key}.Body", args);
        var paragraphs = body.Split("\n\n");
        var text = link is null ? body : $"{body}\n\n{link.AbsoluteUri}";
        var html = string.Concat(paragraphs.Select(p => $"<p>{WebUtility.HtmlEncode(p)}</p>"));
        if (link is not null) html += $"<p><a href=\"{WebUtility.HtmlEncode(link.AbsoluteUri)}\">{WebUtility.HtmlEncode(link.AbsoluteUri)}</a></p>";
        try
        {
            await mail.SendAsync(new OutgoingMail(to, subject, text) { Html = $"<!DOCTYPE html><html lang=\"{language}\"><body>{html}</body></html>" }, ct);
        }
        catch (MailNotSentException)
        {
            // Logged by the mail service, without the address.
        }
    }
}
