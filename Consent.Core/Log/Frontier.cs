namespace Consent.Core.Log;

/// <summary>
/// The right edge of a tree: the roots of its complete subtrees, one per bit of its size, largest first. Enough to append a
/// leaf and to know the root without reading any other node; kept in <see cref="LogHead"/> as their bytes end to end.
/// </summary>
public sealed class Frontier
{
    private readonly List<(int Level, byte[] Hash)> nodes = [];

    public long Size { get; private set; }

    public static Frontier Read(long size, byte[] stored)
    {
        var frontier = new Frontier { Size = size };
        var count = 0;
        for (var level = 62; level >= 0; level--)
        {
            if ((size >> level & 1) == 0) continue;
            frontier.nodes.Add((level, stored.AsSpan(count * MerkleTree.HashSize, MerkleTree.HashSize).ToArray()));
            count++;
        }
        if (stored.Length != count * MerkleTree.HashSize) throw new InvalidDataException($"The log head's frontier holds {stored.Length} bytes, not {count} hashes for a tree of {size}.");
        return frontier;
    }

    public byte[] ToBytes() => [.. nodes.SelectMany(n => n.Hash)];

    public byte[] Root => MerkleTree.RootOf(nodes.Select(n => n.Hash).ToList());

    /// <summary>Appends a leaf; <paramref name="completed"/> hears every complete subtree of two or more leaves it closes (level, index, hash).</summary>
    public void Append(byte[] leafHash, Action<int, long, byte[]>? completed = null)
    {
        var level = 0;
        var hash = leafHash;
        var index = Size;
        while (nodes.Count > 0 && nodes[^1].Level == level)
        {
            hash = MerkleTree.NodeHash(nodes[^1].Hash, hash);
            nodes.RemoveAt(nodes.Count - 1);
            level++;
            index >>= 1;
            completed?.Invoke(level, index, hash);
        }
        nodes.Add((level, hash));
        Size++;
    }
}
