namespace Consent.Core.Requests;

/// <summary>A file opened by its link.</summary>
public sealed record RequestFileDownload(string FileName, string ContentType, byte[] Content);
