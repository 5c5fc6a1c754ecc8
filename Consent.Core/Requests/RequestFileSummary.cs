namespace Consent.Core.Requests;

/// <summary>A file attached to a request, as the inbox lists it.</summary>
public sealed record RequestFileSummary(Guid Id, string FileName, string ContentType, long Bytes, DateTime CreatedAt, DateTime? SentAt, DateTime? ExpiresAt, int Downloads);
