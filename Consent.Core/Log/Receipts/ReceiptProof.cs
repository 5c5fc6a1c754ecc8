namespace Consent.Core.Log.Receipts;

/// <summary>
/// That the record is in the signed log: its leaf text and RFC 9162 hash, its position and path in the tree of
/// <see cref="TreeSize"/> leaves, the signed checkpoint of that tree, and the RFC 3161 token over the note, if any.
/// Hashes and the token are base64, as the log's endpoints write them.
/// </summary>
public sealed record ReceiptProof(
    string Leaf,
    long LeafIndex,
    long TreeSize,
    string LeafHash,
    IReadOnlyList<string> InclusionPath,
    string Checkpoint,
    string? TimestampToken,
    string KeyName);
