using System.Text;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Core;

public abstract class CheckpointServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : CheckpointServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CheckpointServiceTests(TestEngine.Postgres);

    private const string Origin = "consent-center.local/log";

    private Task RecordAsync(ServiceProvider? instance = null) =>
        (instance?.GetRequiredService<ConsentService>() ?? db.Get<ConsentService>()).RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));

    private async Task<int> CheckpointCountAsync()
    {
        await using var context = db.NewContext();
        return await context.LogCheckpoints.CountAsync();
    }

    [Fact]
    public async Task A_checkpoint_signs_the_trees_head_and_verifies_with_the_logs_key()
    {
        await RecordAsync();
        await RecordAsync();

        var checkpoint = await db.Get<CheckpointService>().SignNowAsync();

        var note = SignedNote.Open(checkpoint.Note, await db.Get<CheckpointService>().VerifiersAsync());
        var body = Checkpoint.Parse(note.Text);
        Assert.Equal((Origin, 2L), (body.Origin, body.TreeSize));
        Assert.Equal(await db.Get<LogTree>().RootAtAsync(2), body.RootHash);
        Assert.Equal((2L, Origin), (checkpoint.TreeSize, checkpoint.KeyName));
        Assert.Equal(body.RootHash, checkpoint.RootHash);
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime, checkpoint.SignedAt);
        Assert.Null(checkpoint.TimestampToken);
    }

    [Fact]
    public async Task A_tree_that_did_not_grow_is_not_signed_again()
    {
        await RecordAsync();
        var first = await db.Get<CheckpointService>().SignNowAsync();
        db.Time.Advance(TimeSpan.FromMinutes(10));

        var again = await db.Get<CheckpointService>().SignNowAsync();

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(1, await CheckpointCountAsync());
    }

    [Fact]
    public async Task A_grown_tree_gets_a_new_checkpoint_of_its_new_size()
    {
        await RecordAsync();
        await db.Get<CheckpointService>().SignNowAsync();
        await RecordAsync();

        var second = await db.Get<CheckpointService>().SignNowAsync();

        Assert.Equal(2, second.TreeSize);
        Assert.Equal(2, await CheckpointCountAsync());
        Assert.Equal(second.Id, (await db.Get<CheckpointService>().LatestAsync())?.Id);
    }

    [Fact]
    public async Task Two_instances_signing_at_once_store_one_checkpoint_per_size()
    {
        var other = await db.StartAnotherInstanceAsync();
        var signed = new List<LogCheckpoint>();

        for (var round = 1; round <= 5; round++)
        {
            await RecordAsync(round % 2 == 0 ? other : null);
            var both = await Task.WhenAll(
                Task.Run(() => db.Get<CheckpointService>().SignNowAsync()),
                Task.Run(() => other.GetRequiredService<CheckpointService>().SignNowAsync()));
            Assert.Equal(both[0].Note, both[1].Note);
            signed.Add(both[0]);
        }

        await using var context = db.NewContext();
        Assert.Equal([1L, 2, 3, 4, 5], await context.LogCheckpoints.OrderBy(c => c.TreeSize).Select(c => c.TreeSize).ToListAsync());
        Assert.Equal([1L, 2, 3, 4, 5], signed.Select(c => c.TreeSize));
    }

    [Fact]
    public async Task The_logs_key_is_kept_encrypted_under_its_name_and_survives_a_restart()
    {
        await RecordAsync();
        var before = await db.Get<CheckpointService>().SignNowAsync();
        await RecordAsync();

        var restarted = await db.StartAnotherInstanceAsync();
        var after = await restarted.GetRequiredService<CheckpointService>().SignNowAsync();

        await using var context = db.NewContext();
        var key = await context.SigningKeys.SingleAsync(k => k.Purpose == "log-checkpoint");
        Assert.Equal(Origin, key.Name);
        Assert.Equal(32, key.PublicKey?.Length);
        Assert.True(key.ProtectedSecret.Length > 32);
        var verifier = NoteVerifier.FromPublicKey(Origin, key.PublicKey);
        Assert.Single(SignedNote.Open(before.Note, [verifier]).Verified);
        Assert.Single(SignedNote.Open(after.Note, [verifier]).Verified);
    }

    [Fact]
    public async Task A_rotated_key_signs_under_a_new_name_and_older_checkpoints_still_verify()
    {
        var checkpoints = db.Get<CheckpointService>();
        await RecordAsync();
        var old = await checkpoints.SignNowAsync();

        var (rotated, signsFrom) = await checkpoints.RotateKeyAsync();
        db.Time.Advance(CheckpointService.RotationDelay);
        await RecordAsync();
        var renewed = await checkpoints.SignNowAsync();

        var verifiers = await checkpoints.VerifiersAsync();
        Assert.Equal([$"{Origin}/2", Origin], verifiers.Select(v => v.Name));
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime, signsFrom);
        Assert.Equal(rotated.Name, renewed.KeyName);
        Assert.Equal(Origin, SignedNote.Open(old.Note, verifiers).Verified.Single().KeyName);
        Assert.Equal(rotated.Name, SignedNote.Open(renewed.Note, verifiers).Verified.Single().KeyName);
        Assert.Throws<SignedNoteException>(() => SignedNote.Open(old.Note, [rotated]));
    }

    [Fact]
    public async Task A_rotated_key_does_not_sign_before_every_instance_can_list_it()
    {
        var checkpoints = db.Get<CheckpointService>();
        await checkpoints.RotateKeyAsync();
        await RecordAsync();

        var signed = await checkpoints.SignNowAsync();

        Assert.Equal(Origin, signed.KeyName);
    }

    [Fact]
    public async Task Each_rotation_takes_the_next_free_name()
    {
        var checkpoints = db.Get<CheckpointService>();

        await checkpoints.RotateKeyAsync();
        var (third, _) = await checkpoints.RotateKeyAsync();

        Assert.Equal($"{Origin}/3", third.Name);
        Assert.Equal(3, (await checkpoints.VerifiersAsync()).Select(v => v.KeyId).Distinct().Count());
    }
}
