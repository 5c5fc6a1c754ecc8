namespace Consent.Core.Log;

/// <summary>A tree held as its leaf hashes in memory: for tests and for checking a proof against leaves one has.</summary>
public sealed class LeafList(IReadOnlyList<byte[]> leafHashes) : ISubtreeHashes
{
    public ValueTask<byte[]> CompleteAsync(int level, long index)
    {
        var start = index << level;
        var hashes = leafHashes.Skip((int)start).Take(1 << level).ToList();
        while (hashes.Count > 1) hashes = hashes.Chunk(2).Select(p => MerkleTree.NodeHash(p[0], p[1])).ToList();
        return ValueTask.FromResult(hashes[0]);
    }
}
