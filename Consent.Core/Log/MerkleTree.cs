using System.Numerics;
using System.Security.Cryptography;

namespace Consent.Core.Log;

/// <summary>
/// The Merkle tree hashing of RFC 9162 (section 2.1): leaves and nodes, the root of a tree given its complete subtrees, and the
/// inclusion and consistency proofs with their verification. Proofs are built over any <see cref="ISubtreeHashes"/>, so the same
/// code answers from the database and from a list in memory.
/// </summary>
public static class MerkleTree
{
    public const int HashSize = 32;

    /// <summary>The root of the empty tree: SHA-256 of nothing.</summary>
    public static byte[] EmptyRoot() => SHA256.HashData([]);

    /// <summary>SHA-256(0x00 || leaf).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leaf)
    {
        var input = new byte[1 + leaf.Length];
        leaf.CopyTo(input.AsSpan(1));
        return SHA256.HashData(input);
    }

    /// <summary>SHA-256(0x01 || left || right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> input = stackalloc byte[1 + 2 * HashSize];
        input[0] = 1;
        left.CopyTo(input[1..]);
        right.CopyTo(input[(1 + HashSize)..]);
        return SHA256.HashData(input);
    }

    /// <summary>The largest power of two smaller than <paramref name="n"/> (n ≥ 2): where RFC 9162 splits a tree of n leaves.</summary>
    public static long Split(long n) => 1L << (63 - BitOperations.LeadingZeroCount((ulong)(n - 1)));

    /// <summary>
    /// The root of a tree of <paramref name="size"/> leaves from its complete subtrees, largest first (one per bit of the size,
    /// as <see cref="Frontier"/> keeps them).
    /// </summary>
    public static byte[] RootOf(IReadOnlyList<byte[]> frontier)
    {
        if (frontier.Count == 0) return EmptyRoot();
        var root = frontier[^1];
        for (var i = frontier.Count - 2; i >= 0; i--) root = NodeHash(frontier[i], root);
        return root;
    }

    /// <summary>MTH(D[start:end]): a complete aligned subtree is asked of <paramref name="hashes"/>, anything else is split.</summary>
    public static async ValueTask<byte[]> SubtreeHashAsync(ISubtreeHashes hashes, long start, long end)
    {
        var n = end - start;
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(end), "A subtree holds at least one leaf.");
        if ((n & (n - 1)) == 0 && start % n == 0) return await hashes.CompleteAsync(BitOperations.Log2((ulong)n), start / n);
        var k = Split(n);
        var left = await SubtreeHashAsync(hashes, start, start + k);
        var right = await SubtreeHashAsync(hashes, start + k, end);
        return NodeHash(left, right);
    }

    /// <summary>PATH(m, D[0:size]) of RFC 9162 section 2.1.3.1: the hashes from the leaf's sibling up to the root's child.</summary>
    public static async Task<IReadOnlyList<byte[]>> InclusionProofAsync(ISubtreeHashes hashes, long index, long size)
    {
        if (index < 0 || index >= size) throw new ArgumentOutOfRangeException(nameof(index), $"Leaf {index} is not in a tree of {size}.");
        var path = new List<byte[]>();
        await PathAsync(hashes, index, 0, size, path);
        return path;
    }

    private static async Task PathAsync(ISubtreeHashes hashes, long m, long start, long end, List<byte[]> path)
    {
        var n = end - start;
        if (n == 1) return;
        var k = Split(n);
        if (m < k)
        {
            await PathAsync(hashes, m, start, start + k, path);
            path.Add(await SubtreeHashAsync(hashes, start + k, end));
        }
        else
        {
            await PathAsync(hashes, m - k, start + k, end, path);
            path.Add(await SubtreeHashAsync(hashes, start, start + k));
        }
    }

    /// <summary>PROOF(m, D[0:n]) of RFC 9162 section 2.1.4.1: that the tree of <paramref name="from"/> leaves is a prefix of the tree of <paramref name="to"/>.</summary>
    public static async Task<IReadOnlyList<byte[]>> ConsistencyProofAsync(ISubtreeHashes hashes, long from, long to)
    {
        if (from < 1 || from > to) throw new ArgumentOutOfRangeException(nameof(from), $"No consistency proof from {from} to {to} leaves.");
        var proof = new List<byte[]>();
        if (from < to) await SubproofAsync(hashes, from, 0, to, true, proof);
        return proof;
    }

    private static async Task SubproofAsync(ISubtreeHashes hashes, long m, long start, long end, bool whole, List<byte[]> proof)
    {
        var n = end - start;
        if (m == n)
        {
            if (!whole) proof.Add(await SubtreeHashAsync(hashes, start, end));
            return;
        }
        var k = Split(n);
        if (m <= k)
        {
            await SubproofAsync(hashes, m, start, start + k, whole, proof);
            proof.Add(await SubtreeHashAsync(hashes, start + k, end));
        }
        else
        {
            await SubproofAsync(hashes, m - k, start + k, end, false, proof);
            proof.Add(await SubtreeHashAsync(hashes, start, start + k));
        }
    }

    /// <summary>RFC 9162 section 2.1.3.2: whether <paramref name="leafHash"/> is leaf <paramref name="index"/> of the tree with <paramref name="root"/>.</summary>
    public static bool VerifyInclusion(long index, long size, ReadOnlySpan<byte> leafHash, IReadOnlyList<byte[]> path, ReadOnlySpan<byte> root)
    {
        if (index < 0 || index >= size || leafHash.Length != HashSize || root.Length != HashSize) return false;
        var fn = index;
        var sn = size - 1;
        var r = leafHash.ToArray();
        foreach (var p in path)
        {
            if (sn == 0 || p is not { Length: HashSize }) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                r = NodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>RFC 9162 section 2.1.4.2: whether the tree of <paramref name="from"/> leaves with <paramref name="fromRoot"/> is a prefix of the tree of <paramref name="to"/> leaves with <paramref name="toRoot"/>.</summary>
    public static bool VerifyConsistency(long from, long to, ReadOnlySpan<byte> fromRoot, ReadOnlySpan<byte> toRoot, IReadOnlyList<byte[]> proof)
    {
        if (from < 1 || from > to || fromRoot.Length != HashSize || toRoot.Length != HashSize) return false;
        if (proof.Any(p => p is not { Length: HashSize })) return false;
        if (from == to) return proof.Count == 0 && fromRoot.SequenceEqual(toRoot);
        var path = (from & (from - 1)) == 0 ? [fromRoot.ToArray(), .. proof] : proof.ToList();
        if (path.Count == 0) return false;
        var fn = from - 1;
        var sn = to - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        var fr = path[0];
        var sr = path[0];
        foreach (var c in path.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                if ((fn & 1) == 0)
                {
                    while ((fn & 1) == 0 && fn != 0)
                    {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && fr.AsSpan().SequenceEqual(fromRoot) && sr.AsSpan().SequenceEqual(toRoot);
    }
}
