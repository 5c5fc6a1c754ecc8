namespace Consent.Core.Log;

/// <summary>Where proofs read complete subtrees from: the database (<see cref="LogTree"/>) or leaves in memory (<see cref="LeafList"/>).</summary>
public interface ISubtreeHashes
{
    /// <summary>The hash of the complete subtree of 2^<paramref name="level"/> leaves starting at leaf <paramref name="index"/> × 2^level.</summary>
    ValueTask<byte[]> CompleteAsync(int level, long index);
}
