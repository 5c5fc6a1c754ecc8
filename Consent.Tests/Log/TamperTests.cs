using Consent.App;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Log;

/// <summary>
/// The tamper corpus: what someone holding the database file can do once they set the triggers aside, each caught and named by
/// the verifier, on both engines. The log holds six records (0 to 5, accept-all at even positions, reject-all at odd ones) and a
/// checkpoint of all six signed by the log's key.
/// </summary>
public abstract class TamperTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : TamperTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : TamperTests(TestEngine.Postgres);

    private const string Origin = "consent.example.org/log";
    private const int Records = 6;
    private static readonly DateTime SignedAt = new(2026, 11, 29, 10, 30, 0, DateTimeKind.Utc);

    private readonly NoteSigner logKey = NoteSigner.Generate(Origin);

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        for (var i = 0; i < Records; i++) await ChooseAsync(i % 2 == 0 ? ConsentMethod.AcceptAll : ConsentMethod.RejectAll);
        await using var context = db.NewContext();
        context.SigningKeys.Add(new SigningKey
        {
            Purpose = CheckpointService.KeyPurpose,
            Name = logKey.Name,
            PublicKey = logKey.Verifier.PublicKey,
            ProtectedSecret = [0],
            CreatedAt = SignedAt,
            ActivatesAt = SignedAt,
        });
        await context.SaveChangesAsync();
        await SignCheckpointAsync(logKey);
    }

    public override async ValueTask DisposeAsync()
    {
        logKey.Dispose();
        await base.DisposeAsync();
    }

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Chrome/130.0"));

    private async Task SignCheckpointAsync(NoteSigner signer)
    {
        var head = await db.Get<LogTree>().GetHeadAsync();
        await using var context = db.NewContext();
        context.LogCheckpoints.Add(new LogCheckpoint
        {
            TreeSize = head.Size,
            RootHash = head.RootHash,
            Note = new Checkpoint(Origin, head.Size, head.RootHash).Sign(signer),
            KeyName = signer.Name,
            SignedAt = SignedAt,
        });
        await context.SaveChangesAsync();
    }

    private async Task<Guid> IdAtAsync(long position)
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.Where(r => r.LogIndex == position).Select(r => r.Id).SingleAsync();
    }

    /// <summary>Runs SQL as an attacker with the file does: the append-only triggers dropped (SQLite) or not fired (PostgreSQL).</summary>
    private async Task TamperAsync(string sql, params object[] parameters)
    {
        await using var context = db.NewContext();
        if (Engine == TestEngine.Sqlite)
        {
            var triggers = await context.Database.SqlQueryRaw<string>("""SELECT "name" AS "Value" FROM sqlite_master WHERE "type" = 'trigger'""").ToListAsync();
            // The names come from sqlite_master itself; DROP TRIGGER takes no parameter.
#pragma warning disable EF1002
            foreach (var trigger in triggers) await context.Database.ExecuteSqlRawAsync($"""DROP TRIGGER "{trigger}" """);
#pragma warning restore EF1002
            await context.Database.ExecuteSqlRawAsync(sql, parameters);
            return;
        }
        await context.Database.OpenConnectionAsync();
        await context.Database.ExecuteSqlRawAsync("SET session_replication_role = replica");
        await context.Database.ExecuteSqlRawAsync(sql, parameters);
    }

    private Task<LogVerification> VerifyAsync() => db.Get<LogVerifier>().VerifyAsync("tamper test");

    [Fact]
    public async Task An_untouched_log_verifies_with_its_counts()
    {
        var result = await VerifyAsync();

        Assert.True(result.Verified, result.Difference);
        Assert.Equal((Records, 1), (result.Records, result.Checkpoints));
    }

    [Fact]
    public async Task One_field_of_a_record_edited_names_the_record_and_its_position()
    {
        var id = await IdAtAsync(2);

        await TamperAsync("""UPDATE "ConsentRecords" SET "Language" = 'de' WHERE "LogIndex" = 2""");

        Assert.Equal($"record {id} at position 2 was altered", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task A_flipped_decision_names_the_record_and_its_position()
    {
        var id = await IdAtAsync(3);

        await TamperAsync("""UPDATE "ConsentRecords" SET "Decisions" = REPLACE("Decisions", '-analytics', '+analytics') WHERE "LogIndex" = 3""");

        Assert.Equal($"record {id} at position 3 was altered", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task A_deleted_record_names_its_position()
    {
        await TamperAsync("""DELETE FROM "ConsentRecords" WHERE "LogIndex" = 2""");

        Assert.Equal("a record was removed at position 2", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task A_fabricated_record_without_a_leaf_is_named_as_inserted()
    {
        var fabricated = Fabricate();

        await using (var context = db.NewContext())
        {
            context.ConsentRecords.Add(fabricated);
            await context.SaveChangesAsync();
        }

        Assert.Equal($"record {fabricated.Id} was inserted: it has no leaf", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task A_fabricated_record_given_a_leaf_beyond_the_head_is_named_as_inserted()
    {
        var fabricated = Fabricate();
        fabricated.LogIndex = Records;
        fabricated.LeafHash = LogLeaf.Hash(fabricated, (await db.Get<Consent.Core.Snapshot.SnapshotService>().GetAsync()).PolicyContentHash);

        await using (var context = db.NewContext())
        {
            context.ConsentRecords.Add(fabricated);
            await context.SaveChangesAsync();
        }

        Assert.Equal($"record {fabricated.Id} was inserted at position {Records}, beyond the log's head of {Records} records", (await VerifyAsync()).Difference);
    }

    private static ConsentRecord Fabricate() => new()
    {
        Id = Guid.NewGuid(),
        PolicyVersion = 1,
        Method = ConsentMethod.AcceptAll,
        Source = ConsentSource.Banner,
        RecordedAt = TestDatabase.Start.UtcDateTime,
        ExpiresAt = TestDatabase.Start.UtcDateTime.AddYears(1),
        Language = "en",
        BrowserFamily = "Chrome",
        Decisions = [new() { CategoryKey = "functional", Granted = true }, new() { CategoryKey = "analytics", Granted = true }, new() { CategoryKey = "social-media", Granted = true }],
    };

    [Fact]
    public async Task Two_records_swapped_before_a_checkpoint_are_named_by_their_positions()
    {
        await TamperAsync("""
            UPDATE "ConsentRecords" SET "LogIndex" = -1 WHERE "LogIndex" = 1;
            UPDATE "ConsentRecords" SET "LogIndex" = 1 WHERE "LogIndex" = 4;
            UPDATE "ConsentRecords" SET "LogIndex" = 4 WHERE "LogIndex" = -1;
            """);

        Assert.Equal("records at positions 1 and 4 were swapped", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task Two_records_swapped_after_the_last_checkpoint_are_named_by_the_head()
    {
        for (var i = 0; i < 3; i++) await ChooseAsync(ConsentMethod.Custom);

        await TamperAsync("""
            UPDATE "ConsentRecords" SET "LogIndex" = -1 WHERE "LogIndex" = 6;
            UPDATE "ConsentRecords" SET "LogIndex" = 6 WHERE "LogIndex" = 8;
            UPDATE "ConsentRecords" SET "LogIndex" = 8 WHERE "LogIndex" = -1;
            """);

        Assert.Equal("records at positions 6 and 8 were swapped", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task The_tail_cut_after_a_checkpoint_names_the_cut_and_the_checkpoint_even_with_the_head_rewound()
    {
        await using (var context = db.NewContext())
        {
            var leaves = await context.ConsentRecords.Where(r => r.LogIndex < 4).OrderBy(r => r.LogIndex).Select(r => r.LeafHash!).ToListAsync();
            var rewound = new Frontier();
            foreach (var leaf in leaves) rewound.Append(leaf);
            await TamperAsync("""
                DELETE FROM "ConsentRecords" WHERE "LogIndex" >= 4;
                UPDATE "LogHead" SET "Size" = 4, "Frontier" = {0};
                """, rewound.ToBytes());
        }

        Assert.Equal("the log was cut after position 3: checkpoint of 6 records signed 2026-11-29 10:30:00 UTC", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task A_checkpoint_signed_with_another_key_of_the_same_name_is_refused()
    {
        using var other = NoteSigner.Generate(Origin);
        var head = await db.Get<LogTree>().GetHeadAsync();

        await TamperAsync("""UPDATE "LogCheckpoints" SET "Note" = {0}""", new Checkpoint(Origin, head.Size, head.RootHash).Sign(other));

        Assert.Equal($"checkpoint of {Records} records is not signed by a key of this log", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task An_edited_policy_text_is_named_by_its_version()
    {
        await TamperAsync("""UPDATE "PolicyVersions" SET "Snapshot" = "Snapshot" || ' ' WHERE "Number" = 1""");

        Assert.Equal("the text of policy version 1 was altered: its snapshot no longer has the content hash its records' leaves name", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task An_erased_record_still_verifies()
    {
        await using (var context = db.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync("""UPDATE "ConsentRecords" SET "VisitorId" = NULL, "VisitorSalt" = NULL WHERE "LogIndex" = 2""");
        }

        var result = await VerifyAsync();

        Assert.True(result.Verified, result.Difference);
        Assert.Equal((Records, 1), (result.Records, result.Checkpoints));
    }

    [Fact]
    public async Task A_visitor_id_put_on_another_record_is_caught_by_its_commitment()
    {
        var id = await IdAtAsync(4);

        await TamperAsync("""UPDATE "ConsentRecords" SET "VisitorId" = (SELECT "VisitorId" FROM "ConsentRecords" WHERE "LogIndex" = 0) WHERE "LogIndex" = 4""");

        Assert.Equal($"record {id} at position 4 was altered", (await VerifyAsync()).Difference);
    }

    [Fact]
    public async Task Every_verification_is_written_to_the_audit_trail_and_read_back_as_the_last()
    {
        await TamperAsync("""DELETE FROM "ConsentRecords" WHERE "LogIndex" = 2""");
        db.Time.Advance(TimeSpan.FromMinutes(1));

        await VerifyAsync();

        var last = await db.Get<LogVerifier>().LastAsync();
        Assert.NotNull(last);
        Assert.Equal(("tamper test", db.Time.GetUtcNow().UtcDateTime), (last.Actor, last.At));
        Assert.Equal("a record was removed at position 2", last.Result.Difference);
        Assert.Equal(2, last.Result.Records);
    }

    [Fact]
    public async Task The_verify_log_command_exits_0_on_an_untouched_log_and_1_naming_the_difference_once_tampered()
    {
        var environment = new Dictionary<string, string>
        {
            ["Consent__Database__Provider"] = db.Engine == TestEngine.Postgres ? "Postgres" : "Sqlite",
            ["ConnectionStrings__Consent"] = db.ConnectionString,
        };
        var id = await IdAtAsync(3);

        var (untouchedExit, untouched) = await AppProcess.RunCommandAsync(environment, CenterCommands.VerifyLog);
        await TamperAsync("""UPDATE "ConsentRecords" SET "Decisions" = REPLACE("Decisions", '-analytics', '+analytics') WHERE "LogIndex" = 3""");
        var (tamperedExit, tampered) = await AppProcess.RunCommandAsync(environment, CenterCommands.VerifyLog);

        Assert.True(untouchedExit == 0, untouched);
        Assert.Contains($"The log verifies: {Records} records, 1 checkpoint.", untouched);
        Assert.True(tamperedExit == 1, tampered);
        Assert.Contains($"The log does not verify: record {id} at position 3 was altered.", tampered);
        await using var context = db.NewContext();
        Assert.Equal(2, await context.AuditEntries.CountAsync(a => a.Action == LogVerifier.AuditAction && a.Actor == VerifyLogCommand.Actor));
    }
}
