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
    /// <summary>The e-mail check: the code, how long it holds, and the link that opens the confirm form with it.</summary>
    public Task SendCodeAsync(RightsRequest request, string code, int minutes, Uri link, CancellationToken ct = default) =>
        SendAsync(request.Email, request.Language, "Mail.Code", [request.Reference, code, minutes, TypeName(request)], [link], ct);

    /// <summary>The acknowledgement of a verified request: its reference, type and due date, and what happens next.</summary>
    public Task SendAcknowledgementAsync(RightsRequest request, CancellationToken ct = default) =>
        SendAsync(request.Email, request.Language, "Mail.Acknowledged", [request.Reference, TypeName(request), LongDate(request.DueOn!.Value, request.Language)], [], ct);

    /// <summary>A day as the requester's language writes it in full ("Tuesday, March 3, 2026", "mardi 3 mars 2026").</summary>
    public static string LongDate(DateOnly day, string language) => day.ToString("D", CultureInfo.GetCultureInfo(language));

    private static string TypeName(RightsRequest request) =>
        RequestTexts.In(CultureInfo.GetCultureInfo(request.Language), $"Form.Type.{RequestVocabulary.Name(request.Type)}");

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
