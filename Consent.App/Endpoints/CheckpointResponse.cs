namespace Consent.App.Endpoints;

/// <summary>One signed checkpoint of the log, as <c>GET /log/checkpoints</c> lists it; hashes and token in base64.</summary>
public sealed record CheckpointResponse(long TreeSize, byte[] RootHash, DateTime SignedAt, string KeyName, string Note, byte[]? TimestampToken);
