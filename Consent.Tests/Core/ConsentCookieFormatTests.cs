using Consent.Core.Consents;

namespace Consent.Tests.Core;

public class ConsentCookieFormatTests
{
    private const string Visitor = "3f2a9c1e5b7d4086a1c2e3f405162738";
    private const string ConsentId = "019a7b2c3d4e7f00a1b2c3d4e5f60718";
    private const string Signature = "q3VvQ1x0dGhlLXNpZ25hdHVyZS1zaGFwZS0xMjM0NTY";

    [Fact]
    public void A_payload_reads_back_as_the_state_it_was_written_from()
    {
        var state = new ConsentCookieState(Visitor, Guid.ParseExact(ConsentId, "N"), 3, ["functional", "analytics"],
            new DateTime(2026, 12, 1, 10, 0, 0, DateTimeKind.Utc));

        var read = ConsentCookieFormat.TryParsePayload(ConsentCookieFormat.Payload(state));

        Assert.NotNull(read);
        Assert.Equal((state.VisitorId, state.ConsentId, state.PolicyVersion, state.RecordedAt), (read.VisitorId, read.ConsentId, read.PolicyVersion, read.RecordedAt));
        Assert.Equal(state.Granted, read.Granted);
    }

    [Fact]
    public void A_time_past_the_year_9999_reads_as_no_cookie_rather_than_an_exception()
    {
        var payload = $"1.{Visitor}.{ConsentId}.3.functional.2066666515600";

        var read = ConsentCookieFormat.TryParsePayload(payload);

        Assert.Null(read);
    }

    [Theory]
    [InlineData($"1.{Visitor}.019a7b2c3D4e7f00a1b2c3d4e5f60718.3.functional.1796205600")]
    [InlineData($"1.{Visitor}.{ConsentId}.03.functional.1796205600")]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.01796205600")]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600\0")]
    [InlineData($"1.{Visitor}.{ConsentId}.3\0.functional.1796205600")]
    [InlineData($"1.3F2A9C1E5B7D4086A1C2E3F405162738.{ConsentId}.3.functional.1796205600")]
    [InlineData($"1.{Visitor}.{{{ConsentId}}}.3.functional.1796205600")]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600.7")]
    public void A_spelling_the_center_never_writes_reads_as_no_cookie(string payload)
    {
        var read = ConsentCookieFormat.TryParsePayload(payload);

        Assert.Null(read);
    }

    [Theory]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600.{Signature}", true)]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600.{Signature}=", false)]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600.q3VvQ1x0dGhl+XNpZ25hdHVyZS1zaGFwZS0xMjM0NTY", false)]
    [InlineData($"1.{Visitor}.{ConsentId}.3.functional.1796205600.short", false)]
    [InlineData(Signature, false)]
    public void Only_a_value_ending_in_an_hmac_shaped_signature_is_cut_for_checking(string value, bool cut)
    {
        var split = ConsentCookieFormat.TrySplit(value, out var payload, out var signature);

        Assert.Equal(cut, split);
        Assert.Equal(cut ? (value[..^44], Signature) : ("", ""), (payload, signature));
    }
}
