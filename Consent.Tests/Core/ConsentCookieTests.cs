using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public class ConsentCookieTests : DatabaseTest
{
    private static ConsentCookieState State() => new(
        ConsentCookie.NewVisitorId(), Guid.CreateVersion7(), 3, ["functional", "social-media"], new DateTime(2026, 11, 29, 10, 0, 0, DateTimeKind.Utc));

    [Fact]
    public void A_cookie_reads_back_as_written_and_stays_readable()
    {
        var cookie = db.Get<ConsentCookie>();
        var state = State();

        var value = cookie.Encode(state);
        var read = cookie.TryDecode(value);

        Assert.NotNull(read);
        Assert.Equal((state.VisitorId, state.ConsentId, 3, state.RecordedAt), (read.VisitorId, read.ConsentId, read.PolicyVersion, read.RecordedAt));
        Assert.Equal(state.Granted, read.Granted);
        Assert.StartsWith($"1.{state.VisitorId}.{state.ConsentId:N}.3.functional~social-media.", value);
    }

    [Fact]
    public void A_cookie_signed_by_another_center_is_refused()
    {
        var value = db.Get<ConsentCookie>().Encode(State());
        var lastChar = value[^1] == 'A' ? 'B' : 'A';

        Assert.Null(db.Get<ConsentCookie>().TryDecode(value[..^1] + lastChar));
    }

    [Fact]
    public async Task The_signing_key_survives_a_restart_of_the_center()
    {
        var value = db.Get<ConsentCookie>().Encode(State());

        await ConsentDatabase.InitializeAsync(db.Services);
        var restarted = new ConsentCookie(db.Get<IDbContextFactory<ConsentDbContext>>());

        Assert.NotNull(restarted.TryDecode(value));
    }

    [Fact]
    public void Visitor_ids_are_128_random_bits()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ConsentCookie.NewVisitorId()).ToList();

        Assert.All(ids, id => Assert.True(ConsentCookie.IsVisitorId(id)));
        Assert.Equal(1000, ids.Distinct().Count());
    }
}
