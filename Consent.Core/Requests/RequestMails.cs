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
    /// <summary>
    /// The DPO's daily reminder, in English: each request (reference, type, status, due date, days left, assignee) with its link in the
    /// team's center, most urgent first, then the register's link.
    /// </summary>
    public Task SendReminderAsync(string to, IReadOnlyList<RemindedRequest> requests, int dueSoonDays, Uri center, CancellationToken ct = default)
    {
        var en = CultureInfo.GetCultureInfo("en");
        var lines = requests.Select(r => RequestTexts.In(en, "Mail.Reminder.Request", r.Reference, RequestVocabulary.Name(r.Type),
            RequestVocabulary.Name(r.Status), r.DueOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), DueText(en, r.DaysLeft),
            r.AssignedTo is { Length: > 0 } assignee ? RequestTexts.In(en, "Mail.Reminder.AssignedTo", assignee) : RequestTexts.In(en, "Mail.Reminder.NotAssigned"),
            new Uri(center, $"admin/requests/{Uri.EscapeDataString(r.Reference)}").AbsoluteUri));
        object?[] args = [requests.Count(r => r.DaysLeft < 0), requests.Count(r => r.DaysLeft >= 0), dueSoonDays, string.Join("\n\n", lines)];
        return SendAsync(to, "en", "Mail.Reminder", args, [new Uri(center, "admin/requests")], ct);
    }

    private static string DueText(CultureInfo culture, int daysLeft) => daysLeft switch
    {
        0 => RequestTexts.In(culture, "Mail.Reminder.DueToday"),
        1 => RequestTexts.In(culture, "Mail.Reminder.DueInOneDay"),
        > 1 => RequestTexts.In(culture, "Mail.Reminder.DueInDays", daysLeft),
        -1 => RequestTexts.In(culture, "Mail.Reminder.OverdueByOneDay"),
        _ => RequestTexts.In(culture, "Mail.Reminder.OverdueByDays", -daysLeft),
    };
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
