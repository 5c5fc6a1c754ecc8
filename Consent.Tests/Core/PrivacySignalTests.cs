using Consent.Core.Consents;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class PrivacySignalTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : PrivacySignalTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : PrivacySignalTests(TestEngine.Postgres);

    private static readonly VisitorContext NewVisitor = new(null, "en-GB", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private ConsentService consents = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        consents = db.Get<ConsentService>();
    }

    private Task<ConsentReceipt> RecordAsync(ConsentMethod method, params string[] granted) =>
        consents.RecordReceiptAsync(new ConsentSubmission { Method = method, Source = ConsentSource.PreferenceCenter, PolicyVersion = 1, Granted = [.. granted] }, NewVisitor);

    private async Task<int> RecordCountAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.CountAsync();
    }

    [Theory]
    [InlineData("1", null, PrivacySignal.GlobalPrivacyControl)]
    [InlineData(" 1 ", null, PrivacySignal.GlobalPrivacyControl)]
    [InlineData(null, "1", PrivacySignal.DoNotTrack)]
    [InlineData("1", "1", PrivacySignal.GlobalPrivacyControl)]
    [InlineData("0", "1", PrivacySignal.DoNotTrack)]
    [InlineData("0", "0", PrivacySignal.None)]
    [InlineData("true", "yes", PrivacySignal.None)]
    [InlineData("", "", PrivacySignal.None)]
    [InlineData(null, null, PrivacySignal.None)]
    public void Only_the_value_1_is_a_signal_and_GPC_comes_before_DNT(string? secGpc, string? dnt, PrivacySignal expected)
    {
        Assert.Equal(expected, PrivacySignals.Read(secGpc, dnt));
    }

    [Fact]
    public async Task Without_a_cookie_a_signal_refuses_every_optional_category_hides_the_banner_and_stores_nothing()
    {
        var current = await consents.GetCurrentAsync(null, PrivacySignal.GlobalPrivacyControl);

        Assert.Equal(PrivacySignal.GlobalPrivacyControl, current.HonouredSignal);
        Assert.False(current.HasDecision);
        Assert.False(current.ShowsBanner);
        Assert.Equal(["functional"], current.Granted);
        Assert.True(current.IsGranted("functional"));
        Assert.False(current.IsGranted("analytics"));
        Assert.False(current.IsGranted("social-media"));
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task Without_a_cookie_or_a_signal_the_banner_asks()
    {
        var current = await consents.GetCurrentAsync(null);

        Assert.Equal(PrivacySignal.None, current.HonouredSignal);
        Assert.True(current.ShowsBanner);
        Assert.False(current.IsGranted("functional"));
    }

    [Fact]
    public async Task A_decision_in_force_wins_over_the_signal()
    {
        var receipt = await RecordAsync(ConsentMethod.Custom, "analytics");

        var current = await consents.GetCurrentAsync(receipt.CookieValue, PrivacySignal.DoNotTrack);

        Assert.True(current.HasDecision);
        Assert.Equal(PrivacySignal.None, current.HonouredSignal);
        Assert.True(current.IsGranted("analytics"));
        Assert.Equal(receipt.Record.Id, current.ConsentId);
    }

    [Fact]
    public async Task An_answer_to_an_older_policy_version_gives_way_to_the_signal_without_a_banner()
    {
        var receipt = await RecordAsync(ConsentMethod.AcceptAll);
        await using (var context = db.NewContext())
        {
            context.PolicyVersions.Add(StoredPolicy.Version(2, db.Time.GetUtcNow().UtcDateTime, "Adds a video supplier."));
            await context.SaveChangesAsync();
            // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
            await db.Get<SnapshotService>().RefreshAsync();
        }

        var current = await consents.GetCurrentAsync(receipt.CookieValue, PrivacySignal.GlobalPrivacyControl);

        Assert.Equal((2, false, false, PrivacySignal.GlobalPrivacyControl), (current.PolicyVersion, current.HasDecision, current.ShowsBanner, current.HonouredSignal));
        Assert.False(current.IsGranted("analytics"));
    }

    [Fact]
    public async Task An_expired_decision_gives_way_to_the_signal()
    {
        var receipt = await RecordAsync(ConsentMethod.AcceptAll);
        db.Time.Advance(TimeSpan.FromDays(190));

        var current = await consents.GetCurrentAsync(receipt.CookieValue, PrivacySignal.DoNotTrack);

        Assert.Equal((false, PrivacySignal.DoNotTrack), (current.HasDecision, current.HonouredSignal));
        Assert.False(current.IsGranted("social-media"));
    }
}
