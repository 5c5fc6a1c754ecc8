using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Consent.Tests.Core;

/// <summary>
/// Two instances of the center on one PostgreSQL database: what one keeps in memory follows a change made on the
/// other within 2 s, through LISTEN/NOTIFY (<see cref="ChangeFeed"/>). SQLite serves one instance, so it has no such test.
/// </summary>
[Trait("Engine", "Postgres")]
public sealed class ChangeFeedTests() : DatabaseTest(TestEngine.Postgres)
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(2);
    private const string Admin = "privacy@example.org";
    private readonly CancellationTokenSource listening = new();
    private ServiceProvider other = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        other = await db.StartAnotherInstanceAsync();
        var feed = other.GetRequiredService<ChangeFeed>();
        _ = feed.ListenAsync(listening.Token);
        await Until(() => Task.FromResult(feed.IsListening), TimeSpan.FromSeconds(10));
    }

    public override async ValueTask DisposeAsync()
    {
        await listening.CancelAsync();
        await base.DisposeAsync();
    }

    /// <summary>Waits for a condition, checking every 20 ms, and says how long it took.</summary>
    private static async Task<TimeSpan> Until(Func<Task<bool>> condition, TimeSpan limit)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > limit) Assert.Fail($"Not seen within {limit.TotalSeconds} s.");
            await Task.Delay(20);
        }
        return clock.Elapsed;
    }

    [Fact]
    public async Task A_settings_change_on_one_instance_reaches_the_other_s_kept_periods()
    {
        var kept = other.GetRequiredService<SnapshotService>();
        Assert.Equal(6, (await kept.GetAsync()).Periods.LifetimeMonths);

        await db.Get<ConsentSettingsService>().SaveAsync(new ConsentSettingsInput { LifetimeMonths = 12, RefusalLifetimeMonths = 6 }, Admin);

        await Until(async () => (await kept.GetAsync()).Periods.LifetimeMonths == 12, Within);
    }

    [Fact]
    public async Task A_category_s_consent_mode_types_changed_on_one_instance_reach_the_other()
    {
        var kept = other.GetRequiredService<SnapshotService>();
        Assert.Equal(["analytics_storage"], (await kept.GetAsync()).ConsentMode.Types["analytics"]);
        var catalogue = db.Get<CatalogueService>();
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");

        var input = CategoryInput.From(analytics);
        input.GoogleConsentTypes = ["analytics_storage", "personalization_storage"];
        await catalogue.UpdateCategoryAsync(analytics.Id, input, Admin);

        await Until(async () => (await kept.GetAsync()).ConsentMode.Types["analytics"].Count == 2, Within);
    }

    [Fact]
    public async Task A_consent_recorded_on_one_instance_tells_the_other_s_open_dashboards()
    {
        var told = 0;
        other.GetRequiredService<StatisticsNotifier>().Changed += () => Interlocked.Increment(ref told);

        await db.Get<ConsentService>().RecordReceiptAsync(
            new ConsentSubmission { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
            new VisitorContext(null, "en", "Firefox/128.0"));

        await Until(() => Task.FromResult(Volatile.Read(ref told) > 0), Within);
    }

    [Fact]
    public async Task A_listener_that_lost_its_connection_reconnects_and_treats_everything_as_changed()
    {
        var topics = new List<ChangeTopic>();
        other.GetRequiredService<ChangeFeed>().Changed += topic => { lock (topics) topics.Add(topic); };

        await using (var admin = new NpgsqlConnection(db.ConnectionString))
        {
            await admin.OpenAsync();
            await using var kill = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND datname = current_database()", admin);
            await kill.ExecuteNonQueryAsync();
        }

        await Until(() => { lock (topics) return Task.FromResult(topics.Distinct().Count() == Enum.GetValues<ChangeTopic>().Length); }, TimeSpan.FromSeconds(10));
        Assert.True(other.GetRequiredService<ChangeFeed>().IsListening);
    }
}
