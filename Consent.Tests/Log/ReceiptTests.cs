using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Log;

/// <summary>A visitor's receipt rebuilds its logged leaf, is proved against a signed checkpoint, verifies offline, and fails when edited.</summary>
public abstract class ReceiptTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ReceiptTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ReceiptTests(TestEngine.Postgres);

    private const string PolicyUrl = "https://consent.example/cookies";

    private Task<ConsentReceipt> ChooseAsync(ConsentMethod method, params List<string> granted) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = method, Source = ConsentSource.PreferenceCenter, PolicyVersion = 1, Granted = granted },
            new VisitorContext(null, "fr", "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"));

    private async Task<Receipt> IssueAsync(ConsentReceipt choice) =>
        await db.Get<ReceiptService>().IssueAsync(choice.Record.Id, choice.Record.VisitorId!, PolicyUrl)
            ?? throw new InvalidOperationException("No receipt was issued.");

    /// <summary>The keys <c>/log/key</c> serves.</summary>
    private Task<IReadOnlyList<NoteVerifier>> ServedKeysAsync() => db.Get<CheckpointService>().VerifiersAsync();

    /// <summary>A receipt of the third of three records, so that its inclusion path has two hashes.</summary>
    private async Task<byte[]> ThirdReceiptAsync()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        return ReceiptJson.ToUtf8(await IssueAsync(await ChooseAsync(ConsentMethod.Custom, "analytics")));
    }

    [Fact]
    public async Task A_receipt_verifies_offline_with_the_served_key_and_says_what_it_proves()
    {
        var choice = await ChooseAsync(ConsentMethod.Custom, "analytics");

        var json = ReceiptJson.ToUtf8(await IssueAsync(choice));
        var verified = ReceiptVerifier.Verify(json, [.. await ServedKeysAsync()]);

        Assert.Equal(choice.Record.Id, verified.ConsentId);
        Assert.Equal(["functional +", "analytics +", "social-media -"], verified.Purposes.Select(p => $"{p.CategoryKey} {(p.Granted ? '+' : '-')}"));
        Assert.Equal((0L, 1L), (verified.LeafIndex, verified.TreeSize));
        Assert.True(verified.VisitorChecked);
        var receipt = ReceiptJson.Parse(json);
        Assert.Equal(("FR", "dpo@opendatasoft.com", "Firefox", "preference-center", "custom"),
            (receipt.Jurisdiction, receipt.PiiControllers[0].Contact, receipt.Browser, receipt.CollectionMethod, receipt.Method));
        Assert.Equal(choice.Record.VisitorId, receipt.PiiPrincipalId);
    }

    [Fact]
    public async Task A_record_newer_than_the_latest_checkpoint_gets_a_checkpoint_that_includes_it()
    {
        await ChooseAsync(ConsentMethod.AcceptAll);
        var older = await db.Get<CheckpointService>().SignNowAsync();
        var choice = await ChooseAsync(ConsentMethod.RejectAll);

        var receipt = await IssueAsync(choice);

        Assert.Equal(1, older.TreeSize);
        Assert.Equal((1L, 2L), (receipt.Proof.LeafIndex, receipt.Proof.TreeSize));
        await using var context = db.NewContext();
        Assert.Equal([1L, 2L], await context.LogCheckpoints.OrderBy(c => c.TreeSize).Select(c => c.TreeSize).ToListAsync());
    }

    [Fact]
    public async Task A_record_already_in_the_latest_checkpoint_is_proved_against_it_without_signing_again()
    {
        var first = await ChooseAsync(ConsentMethod.AcceptAll);
        await ChooseAsync(ConsentMethod.RejectAll);
        var latest = await db.Get<CheckpointService>().SignNowAsync();

        var receipt = await IssueAsync(first);

        Assert.Equal((0L, 2L), (receipt.Proof.LeafIndex, receipt.Proof.TreeSize));
        Assert.Equal(latest.Note, receipt.Proof.Checkpoint);
        await using var context = db.NewContext();
        Assert.Equal(1, await context.LogCheckpoints.CountAsync());
    }

    [Fact]
    public async Task No_receipt_is_issued_for_another_visitors_record()
    {
        var choice = await ChooseAsync(ConsentMethod.AcceptAll);

        var receipt = await db.Get<ReceiptService>().IssueAsync(choice.Record.Id, new string('a', 32), PolicyUrl);

        Assert.Null(receipt);
    }

    public static TheoryData<string, string> Edits => new()
    {
        { "purpose", "purpose analytics does not match the logged record: the receipt says denied, the log says granted." },
        { "consentTimestamp", "consentTimestamp does not match the logged record" },
        { "expiresAt", "expiresAt does not match the logged record" },
        { "method", "method does not match the logged record: the log says custom." },
        { "collectionMethod", "collectionMethod does not match the logged record" },
        { "policyHash", "policyHash does not match the logged record" },
        { "policyVersion", "policyVersion does not match the logged record" },
        { "consentId", "consentId does not match the logged record" },
        { "visitor", "piiPrincipalId and visitorSalt do not give the logged visitor commitment" },
        { "leaf", "proof.leafHash is not the hash of the logged record" },
        { "path", "The inclusion proof does not lead to the checkpoint's root" },
        { "leafIndex", "The inclusion proof does not lead to the checkpoint's root" },
        { "checkpoint", "The checkpoint is not signed by key" },
        { "publicKey", "publicKey is not the key that signed the checkpoint" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public async Task A_receipt_with_one_field_edited_fails_naming_what_does_not_match(string edit, string message)
    {
        var json = JsonNode.Parse(await ThirdReceiptAsync())!;
        var keys = await ServedKeysAsync();

        Edit(json, edit);
        var refused = Assert.Throws<ReceiptException>(() => ReceiptVerifier.Verify(Encoding.UTF8.GetBytes(json.ToJsonString()), [.. keys]));

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_fails_against_another_key_naming_the_key_it_was_checked_with()
    {
        var json = await ThirdReceiptAsync();
        using var other = NoteSigner.Generate("someone-else.example/log");

        var refused = Assert.Throws<ReceiptException>(() => ReceiptVerifier.Verify(json, [other.Verifier]));

        Assert.StartsWith("The checkpoint is not signed by key someone-else.example/log:", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_receipt_larger_than_the_cap_is_refused_before_it_is_parsed()
    {
        var keys = await ServedKeysAsync();
        var huge = Encoding.UTF8.GetBytes("[" + new string(' ', ReceiptJson.MaxBytes) + "]");

        var refused = Assert.Throws<ReceiptException>(() => ReceiptVerifier.Verify(huge, [.. keys]));

        Assert.Equal("The receipt is larger than 256 KiB; a consent receipt is a few kilobytes.", refused.Message);
    }

    [Fact]
    public async Task A_receipt_missing_a_field_is_refused_as_not_a_receipt()
    {
        var json = JsonNode.Parse(await ThirdReceiptAsync())!.AsObject();
        var keys = await ServedKeysAsync();
        json.Remove("policyHash");

        var refused = Assert.Throws<ReceiptException>(() => ReceiptVerifier.Verify(Encoding.UTF8.GetBytes(json.ToJsonString()), [.. keys]));

        Assert.StartsWith("The file is not a consent receipt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timestamped_checkpoint_travels_in_the_receipt_and_an_edited_token_fails()
    {
        await using var authority = new LocalTimestampAuthority();
        await authority.StartAsync();
        await using var stamped = await TestDatabase.CreateAsync(Engine, new() { ["Log:Timestamp:Url"] = authority.Url });
        var choice = await stamped.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Chrome/130.0"));
        var receipt = await stamped.Get<ReceiptService>().IssueAsync(choice.Record.Id, choice.Record.VisitorId!, PolicyUrl);
        var keys = await stamped.Get<CheckpointService>().VerifiersAsync();

        var verified = ReceiptVerifier.Verify(ReceiptJson.ToUtf8(receipt!), [.. keys]);
        var token = Convert.FromBase64String(receipt!.Proof.TimestampToken!);
        token[^1] ^= 1;
        var edited = receipt with { Proof = receipt.Proof with { TimestampToken = Convert.ToBase64String(token) } };
        var refused = Assert.Throws<ReceiptException>(() => ReceiptVerifier.Verify(ReceiptJson.ToUtf8(edited), [.. keys]));

        Assert.Equal("CN=Consent Test TSA", verified.Timestamp?.Authority);
        Assert.StartsWith("The timestamp token does not hold for this checkpoint:", refused.Message, StringComparison.Ordinal);
    }

    private static void Edit(JsonNode json, string edit)
    {
        var proof = json["proof"]!;
        switch (edit)
        {
            case "purpose":
                json["purposes"]![1]!["granted"] = false;
                break;
            case "consentTimestamp" or "expiresAt":
                json[edit] = LogLeaf.Time(DateTime.Parse(json[edit]!.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal).AddSeconds(1));
                break;
            case "method":
                json["method"] = "accept-all";
                break;
            case "collectionMethod":
                json["collectionMethod"] = "banner";
                break;
            case "policyHash":
                json["policyHash"] = new string('0', 64);
                break;
            case "policyVersion":
                json["policyVersion"] = 2;
                break;
            case "consentId":
                json["consentId"] = Guid.NewGuid().ToString();
                break;
            case "visitor":
                json["piiPrincipalId"] = new string('b', 32);
                break;
            case "leaf":
                // The field and the logged text edited alike: the hash of the leaf gives it away.
                json["purposes"]![1]!["granted"] = false;
                proof["leaf"] = proof["leaf"]!.GetValue<string>().Replace("decision +analytics", "decision -analytics", StringComparison.Ordinal);
                break;
            case "path":
                proof["inclusionPath"]![0] = Convert.ToBase64String(new byte[32]);
                break;
            case "leafIndex":
                proof["leafIndex"] = 1;
                break;
            case "checkpoint":
                var note = proof["checkpoint"]!.GetValue<string>().Split('\n');
                note[1] = "4";
                proof["checkpoint"] = string.Join('\n', note);
                break;
            case "publicKey":
                using (var other = NoteSigner.Generate("consent-center.local/log")) json["publicKey"] = other.Verifier.KeyText;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(edit));
        }
    }
}
