using System.Text;
using System.Text.Json.Nodes;
using Consent.App;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Tests.Support;

namespace Consent.Tests.Deployment;

/// <summary>
/// <c>verify-receipt FILE --key KEYFILE</c>, run as a visitor or auditor runs it: the built app in a process of its own, with a
/// database configured that does not exist, which the command must never touch.
/// </summary>
public sealed class ReceiptCommandTests : IAsyncLifetime
{
    private readonly string directory = Directory.CreateTempSubdirectory("consent-receipt-").FullName;
    private TestDatabase db = null!;
    private Guid consentId;

    /// <summary>A PostgreSQL server that is not there: any attempt to reach the database would fail the command.</summary>
    private static readonly Dictionary<string, string> NoDatabase = new()
    {
        ["Consent__Database__Provider"] = "Postgres",
        ["ConnectionStrings__Consent"] = "Host=no-such-database.invalid;Port=5432;Username=nobody;Timeout=1",
    };

    private string ReceiptPath => Path.Combine(directory, "receipt.json");
    private string KeyPath => Path.Combine(directory, "log.key");

    public async ValueTask InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        var choice = await db.Get<ConsentService>().RecordReceiptAsync(
            new() { Method = ConsentMethod.Custom, Source = ConsentSource.PreferenceCenter, PolicyVersion = 1, Granted = ["analytics"] },
            new VisitorContext(null, "en", "Chrome/130.0"));
        consentId = choice.Record.Id;
        var receipt = await db.Get<ReceiptService>().IssueAsync(consentId, choice.Record.VisitorId!, "https://consent.example/cookies");
        await File.WriteAllBytesAsync(ReceiptPath, ReceiptJson.ToUtf8(receipt!));
        var keys = await db.Get<CheckpointService>().VerifiersAsync();
        await File.WriteAllTextAsync(KeyPath, string.Concat(keys.Select(k => k.KeyText + "\n")));
    }

    public async ValueTask DisposeAsync()
    {
        if (db is not null) await db.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task A_receipt_that_verifies_prints_what_was_verified_and_exits_0()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(NoDatabase, ReceiptCommand.Name, ReceiptPath, "--key", KeyPath);

        Assert.True(exitCode == 0, output);
        Assert.Contains($"The receipt verifies: consent {consentId:D} is leaf 0 of the log's checkpoint of 1 records, signed by key consent-center.local/log.", output);
        Assert.Contains("Purposes: functional granted, analytics granted, social-media denied.", output);
        Assert.Contains("The visitor id and salt give the logged visitor commitment.", output);
    }

    [Fact]
    public async Task An_edited_receipt_prints_what_failed_and_exits_1()
    {
        var json = JsonNode.Parse(await File.ReadAllBytesAsync(ReceiptPath))!;
        json["purposes"]![1]!["granted"] = false;
        // Saved as an editor would save it, with a byte order mark.
        await File.WriteAllTextAsync(ReceiptPath, json.ToJsonString(), Encoding.UTF8);

        var (exitCode, output) = await AppProcess.RunCommandAsync(NoDatabase, ReceiptCommand.Name, ReceiptPath, "--key", KeyPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("The receipt does not verify: purpose analytics does not match the logged record", output);
    }

    [Fact]
    public async Task A_receipt_checked_with_another_key_exits_1_naming_that_key()
    {
        using var other = NoteSigner.Generate("someone-else.example/log");
        await File.WriteAllTextAsync(KeyPath, other.Verifier.KeyText + "\n");

        var (exitCode, output) = await AppProcess.RunCommandAsync(NoDatabase, "verify-receipt", "--key", KeyPath, ReceiptPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("The receipt does not verify: The checkpoint is not signed by key someone-else.example/log", output);
    }

    [Fact]
    public async Task Without_a_key_file_the_command_prints_its_usage_and_exits_1()
    {
        var (exitCode, output) = await AppProcess.RunCommandAsync(NoDatabase, ReceiptCommand.Name, ReceiptPath);

        Assert.Equal(1, exitCode);
        Assert.Contains("Usage: verify-receipt RECEIPT.json --key KEYFILE", output);
    }
}
