using System.Globalization;
using System.Net;
using Consent.Core.Mail;

namespace Consent.Core.Members;

/// <summary>
/// The e-mails of the member's privacy page, in the member's language: the confirmation of a new subscription (a marketing mail of
/// that purpose, so it carries its one-click unsubscribe link, RFC 8058), and the confirmation that the account was erased.
/// Both follow a change already stored: a mail that cannot leave is logged by <see cref="MailService"/> and the change stands.
/// </summary>
public sealed class MemberPrivacyMails(MailService mail, UnsubscribeLinks links)
{
    /// <summary>Confirms a subscription; not sent while the member's processing is restricted.</summary>
    public async Task SendSubscribedAsync(Member member, string purpose, Uri baseUri, CancellationToken ct = default)
    {
        if (member.RestrictedAt is not null) return;
        var culture = CultureInfo.GetCultureInfo(member.Language);
        var name = MemberTexts.In(culture, $"Purpose.{purpose}.Name");
        var unsubscribe = links.LinkFor(baseUri, member, purpose);
        var text = MemberTexts.In(culture, "Mail.Subscribed.Text", member.UserName, name, unsubscribe, new Uri(baseUri, "/members/privacy"));
        await TrySendAsync(new OutgoingMail(member.Email, MemberTexts.In(culture, "Mail.Subscribed.Subject", name), text)
        {
            ToName = member.UserName,
            Html = Paragraphs(text),
            Unsubscribe = unsubscribe,
            Category = MailCategory.Marketing,
        }, ct);
    }

    /// <summary>Tells the address the account had that it is erased, with the erasure record's id.</summary>
    public async Task SendErasedAsync(Member member, MemberErasure erasure, CancellationToken ct = default)
    {
        var culture = CultureInfo.GetCultureInfo(member.Language);
        var text = MemberTexts.In(culture, "Mail.Erased.Text", member.UserName, erasure.ErasureRecordId.ToString("D"));
        await TrySendAsync(new OutgoingMail(member.Email, MemberTexts.In(culture, "Mail.Erased.Subject"), text)
        {
            ToName = member.UserName,
            Html = Paragraphs(text),
        }, ct);
    }

    private async Task TrySendAsync(OutgoingMail message, CancellationToken ct)
    {
        try
        {
            await mail.SendAsync(message, ct);
        }
        catch (MailNotSentException)
        {
            // Already logged (MailNotSent, 2102); the choice or the erasure it confirms is stored.
        }
    }

    /// <summary>The plain text as HTML paragraphs, every value encoded and each address a link.</summary>
    private static string Paragraphs(string text) =>
        string.Concat(text.Split("\n\n").Select(p =>
        {
            var encoded = WebUtility.HtmlEncode(p).Replace("\n", "<br>");
            return Uri.TryCreate(p.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? $"<p><a href=\"{WebUtility.HtmlEncode(uri.AbsoluteUri)}\">{encoded}</a></p>"
                : $"<p>{encoded}</p>";
        }));
}
