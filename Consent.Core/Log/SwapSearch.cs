namespace Consent.Core.Log;

/// <summary>
/// Which two leaves, exchanged, give the expected root: how the verifier names a swap when every record still hashes to its own leaf.
/// Tries every pair of at most <see cref="MaxLeaves"/> leaves, a few seconds at worst.
/// </summary>
internal static class SwapSearch
{
    public const int MaxLeaves = 256;

    /// <summary>The offsets (into <paramref name="leaves"/>) of the pair, or null; <paramref name="start"/> is the tree before the first leaf.</summary>
    public static (long A, long B)? Find(Frontier start, IReadOnlyList<byte[]> leaves, byte[] root)
    {
        if (leaves.Count > MaxLeaves) return null;
        var bytes = start.ToBytes();
        var order = leaves.ToArray();
        for (var a = 0; a < order.Length; a++)
        {
            for (var b = a + 1; b < order.Length; b++)
            {
                (order[a], order[b]) = (order[b], order[a]);
                var tree = Frontier.Read(start.Size, bytes);
                foreach (var leaf in order) tree.Append(leaf);
                (order[a], order[b]) = (order[b], order[a]);
                if (tree.Root.AsSpan().SequenceEqual(root)) return (a, b);
            }
        }
        return null;
    }
}
