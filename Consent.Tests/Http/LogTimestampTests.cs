using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>The app configured with a real local RFC 3161 authority: the token served with a checkpoint stamps its note.</summary>
public sealed class LogTimestampTests : IAsyncLifetime
{
    private readonly LocalTimestampAuthority authority = new();
    private ConsentAppFactory app = null!;
    private HttpClient client = null!;

    public async ValueTask InitializeAsync()
    {
        await authority.StartAsync();
        app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Log:Timestamp:Url"] = authority.Url;
        app.Settings["Consent:Log:Timestamp:TrustedCertificatesPath"] = authority.CaCertificatePath;
        client = app.CreateVisitorClient();
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await authority.DisposeAsync();
    }

    [Fact]
    public async Task A_served_checkpoints_timestamp_token_verifies_against_its_note_offline()
    {
        await app.Services.GetRequiredService<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));
        await app.Services.GetRequiredService<CheckpointService>().SignNowAsync();

        var history = JsonNode.Parse(await client.GetStringAsync("/log/checkpoints"))!;

        var served = history["checkpoints"]![0]!;
        var token = Convert.FromBase64String(served["timestampToken"]!.GetValue<string>());
        var note = served["note"]!.GetValue<string>();
        Assert.Equal(note, await client.GetStringAsync("/log/checkpoint"));
        var stamped = TimestampVerifier.Verify(token, Encoding.UTF8.GetBytes(note), TimestampVerifier.LoadTrusted(authority.CaCertificatePath));
        Assert.Equal("CN=Consent Test TSA", stamped.Authority);
        Assert.Throws<TimestampException>(() => TimestampVerifier.Verify(token, Encoding.UTF8.GetBytes(note.Replace("\n1\n", "\n2\n"))));
    }
}
