using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Core;

public abstract class ConsentCookieTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ConsentCookieTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentCookieTests(TestEngine.Postgres);

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

        var restarted = await db.StartAnotherInstanceAsync();

        Assert.NotNull(restarted.GetRequiredService<ConsentCookie>().TryDecode(value));
    }

    [Fact]
    public async Task The_signing_key_is_stored_encrypted_by_data_protection_never_as_the_bare_secret()
    {
        await using var context = db.NewContext();

        var key = await context.SigningKeys.AsNoTracking().SingleAsync(k => k.Purpose == "consent-cookie");

        Assert.True(key.ProtectedSecret.Length > 32 + 16, $"a protected 32-byte secret carries a header and a tag, not {key.ProtectedSecret.Length} bytes");
        Assert.Equal(1, await context.DataProtectionKeys.CountAsync());
    }

    [Fact]
    public async Task A_rotated_key_signs_once_active_and_cookies_signed_before_stay_valid_on_every_instance()
    {
        var cookie = db.Get<ConsentCookie>();
        var other = (await db.StartAnotherInstanceAsync()).GetRequiredService<ConsentCookie>();
        var state = State();
        var before = cookie.Encode(state);

        var activatesAt = await cookie.RotateKeyAsync();
        Assert.Equal(db.Time.GetUtcNow().UtcDateTime + ConsentCookie.RotationDelay, activatesAt);
        var stillOld = cookie.Encode(state with { ConsentId = Guid.Empty });
        db.Time.SetUtcNow(activatesAt);
        var signedWithNew = cookie.Encode(state with { ConsentId = Guid.Empty });

        Assert.NotEqual(stillOld, signedWithNew);
        Assert.NotNull(cookie.TryDecode(before));
        Assert.NotNull(other.TryDecode(before));
        Assert.NotNull(other.TryDecode(signedWithNew));
        Assert.Equal(signedWithNew, other.Encode(state with { ConsentId = Guid.Empty }));
    }

    [Fact]
    public void Visitor_ids_are_128_random_bits()
    {
        var ids = Enumerable.Range(0, 1000).Select(_ => ConsentCookie.NewVisitorId()).ToList();

        Assert.All(ids, id => Assert.True(ConsentCookie.IsVisitorId(id)));
        Assert.Equal(1000, ids.Distinct().Count());
    }
}
