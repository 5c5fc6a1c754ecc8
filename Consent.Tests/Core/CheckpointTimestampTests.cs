using System.Text;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;

namespace Consent.Tests.Core;

/// <summary>Checkpoints timestamped by a real local RFC 3161 authority, and signed all the same when it fails.</summary>
public sealed class CheckpointTimestampTests : IAsyncLifetime
{
    private readonly LocalTimestampAuthority authority = new();
    private TestDatabase db = null!;

    public async ValueTask InitializeAsync()
    {
        await authority.StartAsync();
        db = await TestDatabase.CreateAsync(new()
        {
            ["Log:Timestamp:Url"] = authority.Url,
            ["Log:Timestamp:TrustedCertificatesPath"] = authority.CaCertificatePath,
        });
    }

    public async ValueTask DisposeAsync()
    {
        await db.DisposeAsync();
        await authority.DisposeAsync();
    }

    private Task RecordAsync() =>
        db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.RejectAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));

    [Fact]
    public async Task A_checkpoint_carries_a_token_that_stamps_its_note()
    {
        await RecordAsync();

        var checkpoint = await db.Get<CheckpointService>().SignNowAsync();

        Assert.NotNull(checkpoint.TimestampToken);
        var stamped = TimestampVerifier.Verify(checkpoint.TimestampToken, Encoding.UTF8.GetBytes(checkpoint.Note), TimestampVerifier.LoadTrusted(authority.CaCertificatePath));
        Assert.Equal("CN=Consent Test TSA", stamped.Authority);
    }

    [Fact]
    public async Task A_failing_authority_leaves_the_checkpoint_without_a_token_and_the_next_one_asks_again()
    {
        authority.Mode = TimestampAuthorityMode.Fails;
        await RecordAsync();

        var unstamped = await db.Get<CheckpointService>().SignNowAsync();
        authority.Mode = TimestampAuthorityMode.Stamps;
        await RecordAsync();
        var stamped = await db.Get<CheckpointService>().SignNowAsync();

        Assert.Equal((1L, null), (unstamped.TreeSize, unstamped.TimestampToken));
        Assert.Equal(2L, stamped.TreeSize);
        Assert.NotNull(stamped.TimestampToken);
        Assert.Equal(2, authority.Queries);
    }
}
