namespace Consent.Core.Requests;

/// <summary>
/// What the DPO does with a request in the register: assign it, keep notes, reply from a template, extend it within the first month,
/// refuse it with the right to complain to the CNIL, record its withdrawal, and fulfil it in one click where the center holds the data
/// (a member's export, a visitor's consent history, a member's erasure). Every step is a <see cref="RequestEvent"/> and an audit entry,
/// in the same save. Refusals of the rules throw <see cref="RequestRuleException"/>; bad input throws FluentValidation's
/// <c>ValidationException</c> with field messages.
/// </summary>
public sealed class RequestInbox
{
    public Task AssignAsync(string reference, string? assignee, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    public Task AddNoteAsync(string reference, string note, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The reply's starting text for the request's type, in the requester's language, with their name and reference filled in.</summary>
    public Task<string> ReplyTemplateAsync(string reference, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>
    /// E-mails <paramref name="body"/> to the requester with a link to each attached file not sent yet. With <paramref name="answers"/> the
    /// request is answered (closed); otherwise it stays pending (a question, a progress note) and becomes in progress.
    /// </summary>
    public Task ReplyAsync(string reference, string body, bool answers, Uri center, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Extends the due date by 1 or 2 further months and tells the requester why; refused once the first month has passed.</summary>
    public Task ExtendAsync(string reference, int months, string reason, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Closes the request as refused and tells the requester the reason and their right to complain to the CNIL.</summary>
    public Task RefuseAsync(string reference, string reason, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Closes the request as withdrawn by the requester (their message to the DPO), without mailing them.</summary>
    public Task WithdrawAsync(string reference, string? reason, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Access or portability for a verified member: attaches their export (JSON), audited as <c>member.export</c>.</summary>
    public Task<RequestFileSummary> AttachMemberExportAsync(string reference, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>A request whose consent id the requester's cookie proved: attaches that visitor's consent history (JSON).</summary>
    public Task<RequestFileSummary> AttachConsentHistoryAsync(string reference, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>Erasure for a verified member, once the DPO has confirmed it: runs the member's erasure as the members' own does.</summary>
    public Task EraseMemberAsync(string reference, string actor, CancellationToken ct = default) => throw new NotImplementedException();

    /// <summary>The file a link opens, or null when the token is unknown or the link has expired; counts the download.</summary>
    public Task<RequestFileDownload?> OpenFileAsync(string token, CancellationToken ct = default) => throw new NotImplementedException();
}

/// <summary>A file attached to a request, as the inbox lists it.</summary>
public sealed record RequestFileSummary(Guid Id, string FileName, string ContentType, long Bytes, DateTime CreatedAt, DateTime? SentAt, DateTime? ExpiresAt, int Downloads);

/// <summary>A file opened by its link.</summary>
public sealed record RequestFileDownload(string FileName, string ContentType, byte[] Content);
