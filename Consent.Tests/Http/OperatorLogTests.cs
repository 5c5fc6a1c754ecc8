using System.Reflection;
using Consent.App.RateLimits;
using Consent.Core.Persistence;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consent.Tests.Http;

/// <summary>The structured events an operator reads: start, migrations, and the background failures that used to vanish.</summary>
public sealed class OperatorLogTests
{
    private static async Task Until(Func<bool> condition, string what)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(10)) Assert.Fail($"{what} was not logged within 10 s.");
            await Task.Delay(20);
        }
    }

    [Fact]
    public void Every_event_of_the_center_has_an_id_and_a_name_of_its_own()
    {
        var events = new[] { typeof(ConsentDatabase).Assembly, typeof(RateLimitPolicies).Assembly }
            .SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Select(m => m.GetCustomAttribute<LoggerMessageAttribute>())
            .OfType<LoggerMessageAttribute>()
            .ToList();

        Assert.True(events.Count >= 15, $"Only {events.Count} events found.");
        Assert.All(events, e => Assert.False(string.IsNullOrEmpty(e.EventName), $"Event {e.EventId} has no name."));
        Assert.Empty(events.GroupBy(e => e.EventId).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.Empty(events.GroupBy(e => e.EventName).Where(g => g.Count() > 1).Select(g => g.Key));
    }

    [Fact]
    public async Task A_first_start_logs_the_engine_and_the_migrations_it_applied_but_not_the_connection_string()
    {
        var log = new CapturedLog();
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite, migrated: false)) { Log = log };

        _ = app.Services;

        var preparing = Assert.Single(log.Entries, e => e.EventId.Name == "DatabasePreparing");
        Assert.Equal(LogLevel.Information, preparing.Level);
        Assert.Contains("Sqlite database", preparing.Message);
        var migrated = Assert.Single(log.Entries, e => e.EventId.Name == "MigrationsApplied");
        Assert.Contains("to the Sqlite database", migrated.Message);
        Assert.Contains("Baseline", migrated.Message);
        // The file (and on PostgreSQL the server, user and password) is named by the connection string: not in the center's events.
        Assert.DoesNotContain(app.Database.Name, preparing.Text + migrated.Text);
        Assert.Contains(log.Entries, e => e.EventId.Name == "RateLimitsOff" && e.Level == LogLevel.Warning);
    }

    [Fact]
    public async Task A_failed_flush_of_banner_views_is_logged_and_so_are_the_views_lost_on_stop()
    {
        var log = new CapturedLog();
        var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite)) { Log = log };
        await using (app)
        {
            using var visitor = app.CreateVisitorClient();
            await visitor.GetPageAsync("/");
            await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync())
            {
                await db.Database.ExecuteSqlRawAsync("DROP TABLE \"BannerViewRollups\"");
            }

            app.Time.Advance(BannerViewCounter.FlushInterval);

            await Until(() => log.Entries.Any(e => e.EventId.Name == "BannerViewFlushFailed"), "The failed flush");
            var failed = log.Entries.First(e => e.EventId.Name == "BannerViewFlushFailed");
            Assert.Equal(LogLevel.Warning, failed.Level);
            Assert.Contains("1 are kept for the next try", failed.Message);
            Assert.Contains("BannerViewRollups", failed.Text);
        }

        var lost = log.Entries.First(e => e.EventId.Name == "BannerViewsLostOnStop");
        Assert.Equal(LogLevel.Error, lost.Level);
        Assert.Contains("1 are lost", lost.Message);
    }
}
