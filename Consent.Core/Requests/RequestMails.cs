using System.Globalization;
using System.Net;
using Consent.Core.Mail;

namespace Consent.Core.Requests;

/// <summary>
/// The mails of rights requests, transactional (no unsubscribe), in the requester's language (the DPO's reminder in English), as plain
/// text and simple HTML with the same words and links. Texts are <see cref="RequestTexts"/>' <c>Mail.*</c> keys: <c>.Subject</c> and a
/// <c>.Body</c> whose paragraphs are separated by a blank line.
/// </summary>
public sealed class RequestMails(MailService mail)
{
    // The inbox's mails (RequestInbox): each leaves before its step is stored, so one that cannot leave changes nothing.

    /// <summary>The DPO's reply, with a link per file (never the file) and the day the links stop working.</summary>
    public Task SendReplyAsync(RightsRequest request, string body, IReadOnlyList<(string FileName, Uri Link)> files, DateOnly linksUntil, int linkDays,
        CancellationToken ct = default)
    {
        var culture = CultureInfo.GetCultureInfo(request.Language);
        var list = files.Count == 0 ? ""
            : "\n\n" + RequestTexts.In(culture, "Mail.Reply.Files", linksUntil.ToString("d MMMM yyyy", culture), linkDays,
                string.Join("\n", files.Select(f => $"- {f.FileName}")));
        return SendAsync(request.Email, request.Language, "Mail.Reply", [request.Reference, body.Trim(), list], [.. files.Select(f => f.Link)], ct);
    }

    /// <summary>GDPR Art. 12(3): the extension, its reason and the new due date, told within the first month.</summary>
    public Task SendExtendedAsync(RightsRequest request, string reason, DateOnly dueOn, int months, CancellationToken ct = default)
    {
        var culture = CultureInfo.GetCultureInfo(request.Language);
        return SendAsync(request.Email, request.Language, "Mail.Extended",
            [request.Reference, Greeting(request, culture), reason.Trim(), dueOn.ToString("dddd d MMMM yyyy", culture), months], [], ct);
    }

    /// <summary>GDPR Art. 12(4): the refusal, its reason, and the rights to complain to the CNIL and to a judicial remedy.</summary>
    public Task SendRefusedAsync(RightsRequest request, string reason, CancellationToken ct = default)
    {
        var culture = CultureInfo.GetCultureInfo(request.Language);
        return SendAsync(request.Email, request.Language, "Mail.Refused", [request.Reference, Greeting(request, culture), reason.Trim()], [], ct);
    }

    /// <summary>"Dear Ada," or, without a name, a neutral greeting, in the request's language.</summary>
    public static string Greeting(RightsRequest request, CultureInfo culture) => string.IsNullOrWhiteSpace(request.Name)
        ? RequestTexts.In(culture, "Greeting.Neutral")
        : RequestTexts.In(culture, "Greeting.Named", request.Name.Trim());

    /// <summary>Sends the mail; a <see cref="MailNotSentException"/> reaches the caller, which decides whether the step stands without it.</summary>
    private async Task SendAsync(string to, string language, string key, object?[] args, IReadOnlyList<Uri> links, CancellationToken ct)
    {
        var culture = CultureInfo.GetCultureInfo(language);
        var subject = RequestTexts.In(culture, $"{key}.Subject", args);
        var body = RequestTexts.In(culture, $"{key}.Body", args);
        var text = string.Join("\n\n", [body, .. links.Select(l => l.AbsoluteUri)]);
        var html = string.Concat(body.Split("\n\n").Select(p => $"<p>{WebUtility.HtmlEncode(p).Replace("\n", "<br>")}</p>"))
            + string.Concat(links.Select(l => $"<p><a href=\"{WebUtility.HtmlEncode(l.AbsoluteUri)}\">{WebUtility.HtmlEncode(l.AbsoluteUri)}</a></p>"));
        await mail.SendAsync(new OutgoingMail(to, subject, text) { Html = $"<!DOCTYPE html><html lang=\"{language}\"><body>{html}</body></html>" }, ct);
    }
}
