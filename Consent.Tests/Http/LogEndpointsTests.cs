using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Consent.App;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using NSec.Cryptography;

namespace Consent.Tests.Http;

public abstract class LogEndpointsTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : LogEndpointsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : LogEndpointsTests(TestEngine.Postgres);

    private async Task<Guid> RecordAsync()
    {
        var receipt = await app.Services.GetRequiredService<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));
        return receipt.Record.Id;
    }

    private Task<LogCheckpoint> SignAsync() => app.Services.GetRequiredService<CheckpointService>().SignNowAsync();

    private async Task<JsonNode> JsonAsync(string path)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private async Task<JsonNode> ProblemAsync(string path, HttpStatusCode status)
    {
        using var response = await client.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static byte[] Bytes(JsonNode? node) => Convert.FromBase64String(node!.GetValue<string>());

    private static List<byte[]> BytesList(JsonNode? node) => [.. node!.AsArray().Select(Bytes)];

    /// <summary>
    /// Checks a note with a served key by hand, without the center's own note code: the key id is the SHA-256 of name, newline,
    /// 0x01 and the public key, and the signature line's Ed25519 signature is over the text before the blank line.
    /// </summary>
    private static void VerifyByHand(string note, string keyText)
    {
        var key = keyText.Split('+', 3);
        var encoded = Convert.FromBase64String(key[2]);
        Assert.Equal((byte)0x01, encoded[0]);
        var publicKey = encoded[1..];
        var id = SHA256.HashData([.. Encoding.UTF8.GetBytes(key[0]), 0x0A, 0x01, .. publicKey])[..4];
        Assert.Equal(key[1], Convert.ToHexStringLower(id));
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        var text = note[..(split + 1)];
        var line = Assert.Single(note[(split + 2)..].TrimEnd('\n').Split('\n'), l => l.StartsWith($"\u2014 {key[0]} ", StringComparison.Ordinal));
        var signature = Convert.FromBase64String(line[(line.LastIndexOf(' ') + 1)..]);
        Assert.Equal(id, signature[..4]);
        var ed25519 = SignatureAlgorithm.Ed25519;
        Assert.True(ed25519.Verify(PublicKey.Import(ed25519, publicKey, KeyBlobFormat.RawPublicKey), Encoding.UTF8.GetBytes(text), signature[4..]));
    }

    [Fact]
    public async Task Before_the_first_checkpoint_the_latest_is_a_404_problem()
    {
        var problem = await ProblemAsync("/log/checkpoint", HttpStatusCode.NotFound);

        Assert.Equal("No checkpoint yet", problem["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_latest_checkpoint_is_a_signed_note_that_the_served_key_verifies()
    {
        await RecordAsync();
        await RecordAsync();
        await SignAsync();

        using var response = await client.GetAsync("/log/checkpoint");
        var note = await response.Content.ReadAsStringAsync();
        var keys = await client.GetStringAsync("/log/key");

        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal("public, max-age=60", response.Headers.CacheControl?.ToString());
        var key = Assert.Single(keys.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        VerifyByHand(note, key);
        var body = Checkpoint.Parse(SignedNote.Open(note, [NoteVerifier.Parse(key)]).Text);
        Assert.Equal(("consent-center.local/log", 2L), (body.Origin, body.TreeSize));
        Assert.Equal(await app.Services.GetRequiredService<LogTree>().RootAtAsync(2), body.RootHash);
    }

    [Fact]
    public async Task The_latest_checkpoint_answers_304_to_its_etag()
    {
        await RecordAsync();
        await SignAsync();
        using var first = await client.GetAsync("/log/checkpoint");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/log/checkpoint");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
    }

    [Fact]
    public async Task A_new_checkpoint_changes_the_etag()
    {
        await RecordAsync();
        await SignAsync();
        using var first = await client.GetAsync("/log/checkpoint");
        await RecordAsync();
        await SignAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, "/log/checkpoint");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var again = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Contains("\n2\n", await again.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_history_lists_every_checkpoint_a_page_at_a_time()
    {
        for (var i = 0; i < 3; i++)
        {
            await RecordAsync();
            await SignAsync();
        }

        var first = await JsonAsync("/log/checkpoints?limit=2");
        var next = first["nextAfter"]!.GetValue<long>();
        var last = await JsonAsync($"/log/checkpoints?after={next}&limit=2");

        Assert.Equal([1L, 2], first["checkpoints"]!.AsArray().Select(c => c!["treeSize"]!.GetValue<long>()));
        Assert.Equal(2, next);
        Assert.Equal([3L], last["checkpoints"]!.AsArray().Select(c => c!["treeSize"]!.GetValue<long>()));
        Assert.Null(last["nextAfter"]);
        var shown = first["checkpoints"]![0]!;
        var stored = await app.Services.GetRequiredService<CheckpointService>().AtSizeAsync(1);
        Assert.Equal(stored!.Note, shown["note"]!.GetValue<string>());
        Assert.Equal(stored.RootHash, Bytes(shown["rootHash"]));
        Assert.Equal("consent-center.local/log", shown["keyName"]!.GetValue<string>());
        Assert.Equal(stored.SignedAt, shown["signedAt"]!.GetValue<DateTime>().ToUniversalTime());
        Assert.Null(shown["timestampToken"]);
    }

    [Theory]
    [InlineData("/log/checkpoints?limit=0", "limit", "limit is 0; it must be from 1 to 1000.")]
    [InlineData("/log/checkpoints?limit=1001", "limit", "limit is 1001; it must be from 1 to 1000.")]
    [InlineData("/log/checkpoints?limit=01", "limit", "limit is \"01\"; it must be a whole number written in digits")]
    [InlineData("/log/checkpoints?after=-1", "after", "after is \"-1\"; it must be a whole number written in digits")]
    [InlineData("/log/checkpoints?after=1e3", "after", "after is \"1e3\"")]
    [InlineData("/log/checkpoints?after=%201", "after", "after is \" 1\"")]
    [InlineData("/log/checkpoints?after=99999999999999999999", "after", "after is \"99999999999999999999\"")]
    [InlineData("/log/checkpoints?limit=1&limit=2", "limit", "limit is \"1,2\"")]
    [InlineData("/log/proof/inclusion?treeSize=1", "consentId", "Give consentId")]
    [InlineData("/log/proof/inclusion?consentId=nope", "consentId", "consentId is \"nope\"; it must be a record id")]
    [InlineData("/log/proof/inclusion?consentId=019a7b2c-3d4e-7f00-a1b2-c3d4e5f60718&treeSize=0", "treeSize", "treeSize is 0; it must be from 1 to 1 (the log holds 1 records).")]
    [InlineData("/log/proof/inclusion?consentId=019a7b2c-3d4e-7f00-a1b2-c3d4e5f60718&treeSize=2", "treeSize", "treeSize is 2; it must be from 1 to 1 (the log holds 1 records).")]
    [InlineData("/log/proof/consistency?to=1", "from", "Give from")]
    [InlineData("/log/proof/consistency?from=1", "to", "Give to")]
    [InlineData("/log/proof/consistency?from=0&to=1", "from", "from is 0; it must be from 1 to 1")]
    [InlineData("/log/proof/consistency?from=1&to=2", "to", "to is 2; it must be from 1 to 1 (the log holds 1 records).")]
    [InlineData("/log/proof/consistency?from=1&to=+1", "to", "to is \" 1\"")]
    public async Task A_bad_parameter_is_a_400_problem_naming_it(string path, string field, string message)
    {
        await RecordAsync();

        var problem = await ProblemAsync(path, HttpStatusCode.BadRequest);

        Assert.StartsWith(message, problem["errors"]![field]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task A_consistency_request_from_a_larger_tree_to_a_smaller_is_refused()
    {
        await RecordAsync();
        await RecordAsync();

        var problem = await ProblemAsync("/log/proof/consistency?from=2&to=1", HttpStatusCode.BadRequest);

        Assert.Equal("from (2) is larger than to (1): a tree is consistent with a later, larger one.", problem["errors"]!["from"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task An_inclusion_proof_verifies_against_the_signed_checkpoints_root()
    {
        await RecordAsync();
        var id = await RecordAsync();
        await RecordAsync();
        var checkpoint = await SignAsync();

        var proof = await JsonAsync($"/log/proof/inclusion?consentId={id}");

        var root = Checkpoint.Parse(SignedNote.Open(checkpoint.Note, await app.Services.GetRequiredService<CheckpointService>().VerifiersAsync()).Text).RootHash;
        Assert.Equal((1L, 3L), (proof["leafIndex"]!.GetValue<long>(), proof["treeSize"]!.GetValue<long>()));
        Assert.Equal(id, proof["consentId"]!.GetValue<Guid>());
        var stored = Assert.Single(await StoredRecordsAsync(), r => r.Id == id);
        Assert.Equal(stored.LeafHash, Bytes(proof["leafHash"]));
        Assert.True(MerkleTree.VerifyInclusion(1, 3, Bytes(proof["leafHash"]), BytesList(proof["path"]), root));
        Assert.False(MerkleTree.VerifyInclusion(0, 3, Bytes(proof["leafHash"]), BytesList(proof["path"]), root));
    }

    [Fact]
    public async Task An_inclusion_proof_in_an_earlier_tree_verifies_against_that_checkpoint()
    {
        var id = await RecordAsync();
        var earlier = await SignAsync();
        await RecordAsync();
        await SignAsync();

        var proof = await JsonAsync($"/log/proof/inclusion?consentId={id:N}&treeSize=1");

        Assert.Equal(1, proof["treeSize"]!.GetValue<long>());
        Assert.True(MerkleTree.VerifyInclusion(0, 1, Bytes(proof["leafHash"]), BytesList(proof["path"]), earlier.RootHash));
    }

    [Fact]
    public async Task An_unknown_record_or_one_not_yet_in_the_tree_is_a_404()
    {
        await RecordAsync();
        await SignAsync();
        var later = await RecordAsync();

        var unknown = await ProblemAsync($"/log/proof/inclusion?consentId={Guid.CreateVersion7()}", HttpStatusCode.NotFound);
        var notYet = await ProblemAsync($"/log/proof/inclusion?consentId={later}", HttpStatusCode.NotFound);
        var explicitly = await ProblemAsync($"/log/proof/inclusion?consentId={later}&treeSize=1", HttpStatusCode.NotFound);

        Assert.Equal("Not in this tree", unknown["title"]!.GetValue<string>());
        Assert.Equal($"The log has no record {later} among its first 1 records.", notYet["detail"]!.GetValue<string>());
        Assert.Equal("Not in this tree", explicitly["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_consistency_proof_between_two_checkpoints_verifies()
    {
        await RecordAsync();
        await RecordAsync();
        await RecordAsync();
        var older = await SignAsync();
        for (var i = 0; i < 4; i++) await RecordAsync();
        var newer = await SignAsync();

        var proof = await JsonAsync("/log/proof/consistency?from=3&to=7");

        Assert.Equal((3L, 7L), (proof["from"]!.GetValue<long>(), proof["to"]!.GetValue<long>()));
        Assert.True(MerkleTree.VerifyConsistency(3, 7, older.RootHash, newer.RootHash, BytesList(proof["proof"])));
        Assert.False(MerkleTree.VerifyConsistency(3, 7, newer.RootHash, newer.RootHash, BytesList(proof["proof"])));
    }

    [Fact]
    public async Task The_key_list_keeps_a_rotated_key_and_both_verify_their_checkpoints()
    {
        await RecordAsync();
        var old = await SignAsync();
        await app.Services.GetRequiredService<CheckpointService>().RotateKeyAsync();
        app.Time.Advance(CheckpointService.RotationDelay);
        await RecordAsync();
        var renewed = await SignAsync();

        var keys = (await client.GetStringAsync("/log/key")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(["consent-center.local/log/2", "consent-center.local/log"], keys.Select(k => k.Split('+')[0]));
        VerifyByHand(old.Note, keys[1]);
        VerifyByHand(renewed.Note, keys[0]);
    }

    [Fact]
    public async Task The_timer_signs_after_the_configured_minutes_only_when_the_log_grew()
    {
        var signing = app.Services.GetRequiredService<CheckpointSigning>();
        await RecordAsync();

        app.Time.Advance(TimeSpan.FromMinutes(9));
        await RecordAsync();
        var beforeTheTick = await app.Services.GetRequiredService<CheckpointService>().LatestAsync();
        app.Time.Advance(TimeSpan.FromMinutes(1));
        await Until(() => signing.Rounds == 1);
        var first = await app.Services.GetRequiredService<CheckpointService>().LatestAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await Until(() => signing.Rounds == 2);
        var unchanged = await app.Services.GetRequiredService<CheckpointService>().HistoryAsync(0, 10);

        Assert.Null(beforeTheTick);
        Assert.Equal(2, first?.TreeSize);
        Assert.Single(unchanged);
        await RecordAsync();
        app.Time.Advance(TimeSpan.FromMinutes(10));
        await Until(() => signing.Rounds == 3);
        Assert.Equal(3, (await app.Services.GetRequiredService<CheckpointService>().LatestAsync())?.TreeSize);
    }

    [Fact]
    public async Task The_log_endpoints_are_in_the_openapi_document()
    {
        var document = await JsonAsync("/openapi/v1.json");

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/log/checkpoint", paths);
        Assert.Contains("/log/checkpoints", paths);
        Assert.Contains("/log/key", paths);
        Assert.Contains("/log/proof/inclusion", paths);
        Assert.Contains("/log/proof/consistency", paths);
        Assert.NotNull(document["paths"]!["/log/checkpoint"]!["get"]!["summary"]);
    }

    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The checkpoint timer did not finish its round within 10 s.");
            await Task.Delay(20);
        }
    }
}
