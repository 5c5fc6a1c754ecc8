using System.Text;
using Consent.Core.Log;

namespace Consent.Tests.Log;

/// <summary>RFC 9162 hashing and proofs, against the RFC 6962 reference vectors and exhaustively over small trees.</summary>
public sealed class MerkleTreeTests
{
    // The leaves and roots every Certificate Transparency implementation is tested with (certificate-transparency-go, merkle/testonly).
    private static readonly string[] VectorLeaves = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"];

    private static readonly string[] VectorRoots =
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];

    private static List<byte[]> Leaves(int count) =>
        Enumerable.Range(0, count).Select(i => MerkleTree.LeafHash(Encoding.UTF8.GetBytes($"leaf {i}"))).ToList();

    [Fact]
    public void The_empty_tree_has_the_hash_of_nothing()
    {
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Convert.ToHexStringLower(MerkleTree.EmptyRoot()));
    }

    [Fact]
    public async Task Roots_match_the_reference_vectors_of_every_size()
    {
        var leaves = VectorLeaves.Select(l => MerkleTree.LeafHash(Convert.FromHexString(l))).ToList();

        for (var size = 1; size <= leaves.Count; size++)
        {
            var root = await MerkleTree.SubtreeHashAsync(new LeafList(leaves), 0, size);
            Assert.Equal(VectorRoots[size - 1], Convert.ToHexStringLower(root));
        }
    }

    [Fact]
    public async Task The_frontier_gives_the_same_root_and_nodes_as_the_whole_tree()
    {
        var leaves = Leaves(600);
        var frontier = new Frontier();
        var completed = new List<(int Level, long Index, byte[] Hash)>();

        for (var i = 0; i < leaves.Count; i++)
        {
            frontier.Append(leaves[i], (level, index, hash) => completed.Add((level, index, hash)));
            var whole = await MerkleTree.SubtreeHashAsync(new LeafList(leaves), 0, i + 1);
            Assert.Equal(whole, frontier.Root);
            Assert.Equal(frontier.Root, Frontier.Read(frontier.Size, frontier.ToBytes()).Root);
        }

        Assert.Equal(600 - 1 - 3, completed.Count); // every internal node of the complete subtrees of 512, 64, 16 and 8 leaves
        foreach (var (level, index, hash) in completed) Assert.Equal(await new LeafList(leaves).CompleteAsync(level, index), hash);
    }

    [Fact]
    public async Task Every_inclusion_proof_of_small_trees_verifies_and_a_wrong_one_does_not()
    {
        var leaves = Leaves(40);
        for (var size = 1; size <= leaves.Count; size++)
        {
            var root = await MerkleTree.SubtreeHashAsync(new LeafList(leaves), 0, size);
            for (var index = 0; index < size; index++)
            {
                var path = await MerkleTree.InclusionProofAsync(new LeafList(leaves), index, size);

                Assert.True(MerkleTree.VerifyInclusion(index, size, leaves[index], path, root), $"leaf {index} of {size}");
                Assert.False(MerkleTree.VerifyInclusion(index, size, leaves[(index + 1) % leaves.Count], path, root));
                if (size > 1) Assert.False(MerkleTree.VerifyInclusion((index + 1) % size, size, leaves[index], path, root));
                if (path.Count > 0)
                {
                    var bent = path.Select(p => (byte[])p.Clone()).ToList();
                    bent[^1][0] ^= 1;
                    Assert.False(MerkleTree.VerifyInclusion(index, size, leaves[index], bent, root));
                }
            }
        }
    }

    [Fact]
    public async Task Every_consistency_proof_of_small_trees_verifies_and_a_wrong_one_does_not()
    {
        var leaves = Leaves(40);
        var roots = new List<byte[]>();
        for (var size = 1; size <= leaves.Count; size++) roots.Add(await MerkleTree.SubtreeHashAsync(new LeafList(leaves), 0, size));
        var other = Leaves(41).Skip(1).ToList();

        for (var to = 1; to <= leaves.Count; to++)
        {
            for (var from = 1; from <= to; from++)
            {
                var proof = await MerkleTree.ConsistencyProofAsync(new LeafList(leaves), from, to);

                Assert.True(MerkleTree.VerifyConsistency(from, to, roots[from - 1], roots[to - 1], proof), $"{from} to {to}");
                if (from < to)
                {
                    var otherRoot = await MerkleTree.SubtreeHashAsync(new LeafList(other), 0, from);
                    Assert.False(MerkleTree.VerifyConsistency(from, to, otherRoot, roots[to - 1], proof));
                    Assert.False(MerkleTree.VerifyConsistency(from, to, roots[from - 1], roots[to - 2], proof));
                }
            }
        }
    }
}
