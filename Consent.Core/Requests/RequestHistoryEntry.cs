namespace Consent.Core.Requests;

/// <summary>One step of a request's history, oldest first.</summary>
public sealed record RequestHistoryEntry(DateTime At, string Actor, string Kind, string? Text);
