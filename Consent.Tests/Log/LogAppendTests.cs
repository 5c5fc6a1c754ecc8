using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Log;

/// <summary>Every stored record has its leaf: one position each, in commit order, its hash over its stored content, and proofs that verify.</summary>
public abstract class LogAppendTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : LogAppendTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : LogAppendTests(TestEngine.Postgres);

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Chrome/130.0"));

    private async Task<List<ConsentRecord>> StoredAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().OrderBy(r => r.LogIndex).ToListAsync();
    }

    [Fact]
    public async Task Concurrent_choices_take_one_position_each_and_their_leaves_hash_what_was_stored()
    {
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => ChooseAsync(i % 2 == 0 ? ConsentMethod.AcceptAll : ConsentMethod.RejectAll)));

        var stored = await StoredAsync();
        var policyHash = (await db.Get<SnapshotService>().GetAsync()).PolicyContentHash;
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (long?)i), stored.Select(r => r.LogIndex));
        foreach (var record in stored) Assert.Equal(LogLeaf.Hash(record, policyHash), record.LeafHash);
        var head = await db.Get<LogTree>().GetHeadAsync();
        Assert.Equal(40, head.Size);
        Assert.Equal(await MerkleTree.SubtreeHashAsync(new LeafList(stored.Select(r => r.LeafHash!).ToList()), 0, 40), head.RootHash);
    }

    [Fact]
    public async Task A_leaf_holds_a_salted_commitment_to_the_visitor_never_the_visitor_id()
    {
        var receipt = await ChooseAsync(ConsentMethod.AcceptAll);

        var stored = Assert.Single(await StoredAsync());
        var text = LogLeaf.Text(stored, (await db.Get<SnapshotService>().GetAsync()).PolicyContentHash);
        Assert.DoesNotContain(receipt.Record.VisitorId!, text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(VisitorCommitment.Of(stored.VisitorSalt!, stored.VisitorId!), stored.VisitorCommitment);
        Assert.Contains($"visitor {Convert.ToHexStringLower(stored.VisitorCommitment!)}\n", text, StringComparison.Ordinal);
        Assert.Contains("method accept-all\n", text, StringComparison.Ordinal);
        Assert.Contains("decision +analytics\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proofs_from_the_database_verify_across_kept_subtrees_and_the_right_edge()
    {
        for (var batch = 0; batch < 10; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 30).Select(_ => ChooseAsync(ConsentMethod.Custom)));
        }
        var tree = db.Get<LogTree>();
        var stored = await StoredAsync();
        var leaves = new LeafList(stored.Select(r => r.LeafHash!).ToList());

        await using (var context = db.NewContext())
        {
            var kept = Assert.Single(await context.LogNodes.AsNoTracking().ToListAsync());
            Assert.Equal((LogTree.StoredFromLevel, 0L), (kept.Level, kept.Index));
            Assert.Equal(await leaves.CompleteAsync(LogTree.StoredFromLevel, 0), kept.Hash);
        }
        foreach (var size in new long[] { 1, 255, 256, 257, 300 })
        {
            var root = await tree.RootAtAsync(size);
            Assert.Equal(await MerkleTree.SubtreeHashAsync(leaves, 0, size), root);
            foreach (var index in new long[] { 0, size / 2, size - 1 })
            {
                var proof = await tree.InclusionProofAsync(stored[(int)index].Id, size);
                Assert.NotNull(proof);
                Assert.True(MerkleTree.VerifyInclusion(proof.LeafIndex, size, proof.LeafHash, proof.Path, root));
            }
        }
        var consistency = await tree.ConsistencyProofAsync(256, 300);
        var (at256, at300) = (await tree.RootAtAsync(256), await tree.RootAtAsync(300));
        Assert.True(MerkleTree.VerifyConsistency(256, 300, at256, at300, consistency));
        Assert.Null(await tree.InclusionProofAsync(stored[299].Id, 299));
    }

    [Fact]
    public async Task The_database_refuses_to_move_a_leaf_or_relink_an_erased_record()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        await using var context = db.NewContext();

        await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("""UPDATE "ConsentRecords" SET "LogIndex" = 7"""));
        await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("""UPDATE "ConsentRecords" SET "LeafHash" = "VisitorCommitment" """));
        await context.Database.ExecuteSqlRawAsync("""UPDATE "ConsentRecords" SET "VisitorId" = NULL, "VisitorSalt" = NULL""");
        await Assert.ThrowsAnyAsync<Exception>(() => context.Database.ExecuteSqlRawAsync("""UPDATE "ConsentRecords" SET "VisitorId" = "VisitorCommitment" """));

        var erased = Assert.Single(await StoredAsync());
        Assert.Null(erased.VisitorId);
        Assert.Null(erased.VisitorSalt);
        Assert.NotNull(erased.VisitorCommitment);
        Assert.Equal(LogLeaf.Hash(erased, (await db.Get<SnapshotService>().GetAsync()).PolicyContentHash), erased.LeafHash);
    }
}
