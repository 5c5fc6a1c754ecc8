using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Log;

/// <summary>The tree's size and root now.</summary>
public sealed record TreeHead(long Size, byte[] RootHash);

/// <summary>That a record's leaf is in the tree of <see cref="TreeSize"/> leaves: its position, hash and RFC 9162 path.</summary>
public sealed record InclusionProof(Guid ConsentId, long LeafIndex, long TreeSize, byte[] LeafHash, IReadOnlyList<byte[]> Path);

/// <summary>Roots and proofs of the log's tree, read from the database: the head, the kept subtrees and the records' leaf hashes.</summary>
public sealed class LogTree(IDbContextFactory<ConsentDbContext> dbFactory)
{
    /// <summary>
    /// Subtrees of 2^8 = 256 leaves and more are kept as <see cref="LogNode"/> rows (one per 128 records on average); a smaller
    /// one is worked out from its leaves, at most 256 of them read by one range of the records' unique position index.
    /// </summary>
    public const int StoredFromLevel = 8;

    public async Task<TreeHead> GetHeadAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var head = await db.LogHead.AsNoTracking().SingleAsync(h => h.Id == LogHead.SingleId, ct);
        return new TreeHead(head.Size, Frontier.Read(head.Size, head.Frontier).Root);
    }

    /// <summary>The root of the tree when it held <paramref name="size"/> leaves (at most the head's size).</summary>
    public async Task<byte[]> RootAtAsync(long size, CancellationToken ct = default)
    {
        var head = await GetHeadAsync(ct);
        RequireWithin(size, head.Size);
        if (size == head.Size) return head.RootHash;
        if (size == 0) return MerkleTree.EmptyRoot();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await MerkleTree.SubtreeHashAsync(new StoredSubtrees(db, ct), 0, size);
    }

    /// <summary>The proof that the record is in the tree of <paramref name="treeSize"/> leaves, or null if it is not in that tree.</summary>
    public async Task<InclusionProof?> InclusionProofAsync(Guid consentId, long treeSize, CancellationToken ct = default)
    {
        RequireWithin(treeSize, (await GetHeadAsync(ct)).Size);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var leaf = await db.ConsentRecords.AsNoTracking().Where(r => r.Id == consentId)
            .Select(r => new { r.LogIndex, r.LeafHash }).SingleOrDefaultAsync(ct);
        if (leaf is not { LogIndex: { } index, LeafHash: { } hash } || index >= treeSize) return null;
        var path = await MerkleTree.InclusionProofAsync(new StoredSubtrees(db, ct), index, treeSize);
        return new InclusionProof(consentId, index, treeSize, hash, path);
    }

    /// <summary>The proof that the tree of <paramref name="from"/> leaves is a prefix of the tree of <paramref name="to"/> (1 ≤ from ≤ to ≤ size).</summary>
    public async Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(long from, long to, CancellationToken ct = default)
    {
        RequireWithin(to, (await GetHeadAsync(ct)).Size);
        if (from < 1 || from > to) throw new ArgumentOutOfRangeException(nameof(from), $"A consistency proof goes from 1 to {to} leaves, not from {from}.");
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await MerkleTree.ConsistencyProofAsync(new StoredSubtrees(db, ct), from, to);
    }

    private static void RequireWithin(long size, long headSize)
    {
        if (size < 0 || size > headSize) throw new ArgumentOutOfRangeException(nameof(size), $"The tree holds {headSize} leaves, not {size}.");
    }

    /// <summary>Complete subtrees from the kept nodes, or from the leaves below <see cref="StoredFromLevel"/>, each block of leaves read once.</summary>
    private sealed class StoredSubtrees(ConsentDbContext db, CancellationToken ct) : ISubtreeHashes
    {
        private readonly Dictionary<long, byte[][]> blocks = [];

        public async ValueTask<byte[]> CompleteAsync(int level, long index)
        {
            if (level >= StoredFromLevel)
            {
                return await db.LogNodes.AsNoTracking().Where(n => n.Level == level && n.Index == index).Select(n => n.Hash).SingleOrDefaultAsync(ct)
                    ?? throw new InvalidDataException($"The log lacks its subtree of level {level} at {index}.");
            }
            var start = index << level;
            var block = start >> StoredFromLevel;
            if (!blocks.TryGetValue(block, out var leaves))
            {
                var from = block << StoredFromLevel;
                var to = from + (1L << StoredFromLevel);
                var stored = await db.ConsentRecords.AsNoTracking().Where(r => r.LogIndex >= from && r.LogIndex < to)
                    .OrderBy(r => r.LogIndex).Select(r => new { r.LogIndex, r.LeafHash }).ToListAsync(ct);
                leaves = new byte[stored.Count][];
                for (var i = 0; i < stored.Count; i++)
                {
                    if (stored[i].LogIndex != from + i || stored[i].LeafHash is null) throw new InvalidDataException($"The log lacks the leaf at {from + i}.");
                    leaves[i] = stored[i].LeafHash!;
                }
                blocks[block] = leaves;
            }
            var offset = (int)(start - (block << StoredFromLevel));
            var count = 1 << level;
            if (offset + count > leaves.Length) throw new InvalidDataException($"The log lacks the leaf at {(block << StoredFromLevel) + leaves.Length}.");
            return await new LeafList(leaves[offset..(offset + count)]).CompleteAsync(level, 0);
        }
    }
}
