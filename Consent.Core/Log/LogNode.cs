namespace Consent.Core.Log;

/// <summary>
/// A complete subtree of 2^Level leaves starting at leaf Index × 2^Level, kept for proofs. Only levels from
/// <see cref="LogTree.StoredFromLevel"/> up are kept: anything smaller is worked out from at most that many leaf hashes.
/// </summary>
public sealed class LogNode
{
    public int Level { get; set; }
    public long Index { get; set; }
    public required byte[] Hash { get; set; }
}
