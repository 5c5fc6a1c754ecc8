using System.Text;
using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

/// <summary>RFC 3161 timestamps from a real local authority (openssl ts -reply behind Kestrel).</summary>
public sealed class TimestampTests : IAsyncLifetime
{
    private static readonly byte[] Note = Encoding.UTF8.GetBytes("consent.example/log\n3\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n— consent.example/log AAAA\n");

    private readonly LocalTimestampAuthority authority = new();
    private readonly CapturedLog captured = new();

    public async ValueTask InitializeAsync() => await authority.StartAsync();

    public async ValueTask DisposeAsync() => await authority.DisposeAsync();

    [Fact]
    public async Task A_token_from_the_authority_verifies_against_the_note_and_its_ca()
    {
        var timestamps = Service(trustedCertificates: authority.CaCertificatePath);
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);

        var token = await timestamps.StampAsync(Note);
        var verified = TimestampVerifier.Verify(token, Note, TimestampVerifier.LoadTrusted(authority.CaCertificatePath));

        Assert.Equal("CN=Consent Test TSA", verified.Authority);
        Assert.InRange(verified.Time, before, DateTimeOffset.UtcNow.AddSeconds(2));
        Assert.Equal(1, authority.Queries);
    }

    [Fact]
    public async Task A_token_does_not_verify_for_another_note()
    {
        var token = await Service().StampAsync(Note);
        byte[] changed = [.. Note[..^2], (byte)'B', (byte)'\n'];

        var refused = Assert.Throws<TimestampException>(() => TimestampVerifier.Verify(token, changed));

        Assert.Equal("The timestamp token stamps other bytes than this note.", refused.Message);
    }

    [Fact]
    public async Task A_token_whose_authority_does_not_chain_to_the_trusted_ca_is_refused()
    {
        var token = await Service().StampAsync(Note);

        var refused = Assert.Throws<TimestampException>(() => TimestampVerifier.Verify(token, Note, TimestampVerifier.LoadTrusted(authority.WriteOtherCa())));

        Assert.StartsWith("The certificate \"CN=Consent Test TSA\" does not chain to a trusted certificate", refused.Message);
    }

    [Fact]
    public async Task An_edited_token_is_refused()
    {
        var token = await Service().StampAsync(Note);
        token[^10] ^= 0x01;

        var refused = Assert.Throws<TimestampException>(() => TimestampVerifier.Verify(token, Note));

        Assert.NotEmpty(refused.Message);
    }

    [Fact]
    public void Bytes_that_are_not_a_token_are_refused()
    {
        var refused = Assert.Throws<TimestampException>(() => TimestampVerifier.Verify("not a token"u8.ToArray(), Note));

        Assert.Equal("The timestamp token is not an RFC 3161 token.", refused.Message);
    }

    [Theory]
    [InlineData(TimestampAuthorityMode.Fails, "answered 503")]
    [InlineData(TimestampAuthorityMode.AnswersGarbage, "reply was refused")]
    public async Task An_authority_that_fails_gives_no_token_and_a_warning(TimestampAuthorityMode mode, string reason)
    {
        authority.Mode = mode;

        var token = await Service().TryStampAsync(Note);

        Assert.Null(token);
        var warning = Assert.Single(captured.Entries, e => e.EventId.Name == "CheckpointTimestampFailed");
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(reason, warning.Message);
        Assert.Contains("at localhost", warning.Message);
    }

    [Fact]
    public async Task A_replayed_reply_for_another_query_is_refused()
    {
        var timestamps = Service();
        await timestamps.StampAsync(Note);
        authority.Mode = TimestampAuthorityMode.ReplaysLastReply;

        var token = await timestamps.TryStampAsync(Note);

        Assert.Null(token);
        Assert.Contains("reply was refused", Assert.Single(captured.Entries, e => e.EventId.Name == "CheckpointTimestampFailed").Message);
    }

    [Fact]
    public async Task An_authority_not_listening_gives_no_token()
    {
        var url = authority.Url;
        await authority.DisposeAsync();

        var token = await Service(url: url).TryStampAsync(Note);

        Assert.Null(token);
        Assert.Single(captured.Entries, e => e.EventId.Name == "CheckpointTimestampFailed");
    }

    [Fact]
    public async Task Without_an_authority_nothing_is_asked()
    {
        var token = await Service(url: "").TryStampAsync(Note);

        Assert.Null(token);
        Assert.Equal(0, authority.Queries);
        Assert.Empty(captured.Entries);
    }

    [Fact]
    public async Task A_stamp_from_an_authority_outside_the_trusted_ca_is_not_kept()
    {
        var token = await Service(trustedCertificates: authority.WriteOtherCa()).TryStampAsync(Note);

        Assert.Null(token);
        Assert.Contains("does not chain", Assert.Single(captured.Entries).Message);
    }

    private TimestampService Service(string? url = null, string? trustedCertificates = null)
    {
        var options = new CheckpointOptions { Timestamp = new TimestampOptions { Url = url ?? authority.Url, TrustedCertificatesPath = trustedCertificates } };
        var logs = LoggerFactory.Create(b => b.AddProvider(captured));
        return new TimestampService(new HttpClient(), Options.Create(options), logs.CreateLogger<TimestampService>());
    }
}
