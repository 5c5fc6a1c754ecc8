using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using Consent.Core;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

// bench/record-size measures the bytes a consent record takes, bench/seed fills a database, bench/scale measures the log on it;
// everything else is BenchmarkDotNet (bench/run).
switch (args.FirstOrDefault())
{
    case "record-size": return await RecordSize.RunAsync(args[1..]);
    case "seed": return await Seed.RunAsync(args[1..]);
    case "scale": return await Scale.RunAsync(args[1..]);
}
BenchmarkSwitcher.FromAssembly(typeof(WritePathBenchmarks).Assembly).Run(args);
return 0;

/// <summary>
/// The consent write path on a real SQLite file: 256 choices arriving from N concurrent visitors,
/// stored one transaction per choice (the baseline) or through ConsentWriter's group commit.
/// </summary>
[MemoryDiagnoser]
public class WritePathBenchmarks
{
    private const int Choices = 256;
    private string path = "";
    private ServiceProvider services = null!;

    [Params(1, 8, 64)]
    public int Visitors { get; set; }

    [GlobalSetup]
    public async Task SetupAsync()
    {
        path = Path.Combine(Path.GetTempPath(), $"consent-bench-{Guid.NewGuid():N}.db");
        services = new ServiceCollection()
            .AddConsentCore(new ConsentDatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={path}"), new ConfigurationBuilder().Build())
            .BuildServiceProvider();
        await ConsentDatabase.InitializeAsync(services);
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" }) File.Delete(file);
    }

    [Benchmark(Baseline = true, Description = "one transaction per choice")]
    public Task OneTransactionPerChoice()
    {
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
        return RunAsync(async record =>
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.ConsentRecords.Add(record);
            await db.SaveChangesAsync();
        });
    }

    [Benchmark(Description = "group commit (ConsentWriter)")]
    public Task GroupCommit()
    {
        var writer = services.GetRequiredService<ConsentWriter>();
        return RunAsync(record => writer.AppendAsync(record));
    }

    private async Task RunAsync(Func<ConsentRecord, Task> store)
    {
        var perVisitor = Choices / Visitors;
        await Task.WhenAll(Enumerable.Range(0, Visitors).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < perVisitor; i++) await store(NewRecord());
        })));
    }

    private static ConsentRecord NewRecord() => new()
    {
        Id = Guid.CreateVersion7(),
        VisitorId = ConsentCookie.NewVisitorId(),
        PolicyVersion = 1,
        Method = ConsentMethod.RejectAll,
        Source = ConsentSource.Banner,
        RecordedAt = DateTime.UtcNow,
        ExpiresAt = DateTime.UtcNow.AddMonths(6),
        Language = "en",
        BrowserFamily = "Chrome",
        Decisions =
        [
            new() { CategoryKey = "functional", Granted = true },
            new() { CategoryKey = "analytics", Granted = false },
            new() { CategoryKey = "social-media", Granted = false },
        ],
    };
}
