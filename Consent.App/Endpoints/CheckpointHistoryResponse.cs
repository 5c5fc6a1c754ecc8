namespace Consent.App.Endpoints;

/// <summary>A page of checkpoints in order of size; <see cref="NextAfter"/> is the <c>?after=</c> of the next page, null on the last.</summary>
public sealed record CheckpointHistoryResponse(IReadOnlyList<CheckpointResponse> Checkpoints, long? NextAfter);
