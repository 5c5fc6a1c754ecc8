using Consent.Core;
using Consent.Core.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Support;

/// <summary>
/// Consent.Core's real services on a temporary SQLite file, created, migrated and seeded with
/// the real migrations and seed, and deleted afterwards. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private TestDatabase(string path, ServiceProvider services, FakeTimeProvider time)
    {
        Path = path;
        Services = services;
        Time = time;
    }

    public string Path { get; }
    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public string ConnectionString => $"Data Source={Path}";

    public static async Task<TestDatabase> CreateAsync(Dictionary<string, string?>? consentSettings = null)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"consent-test-{Guid.NewGuid():N}.db");
        var time = new FakeTimeProvider(Start);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(consentSettings ?? []).Build();
        var services = new ServiceCollection()
            .AddSingleton<TimeProvider>(time)
            .AddConsentCore($"Data Source={path}", configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await ConsentDatabase.InitializeAsync(services);
        return new TestDatabase(path, services, time);
    }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public ConsentDbContext NewContext() => Get<IDbContextFactory<ConsentDbContext>>().CreateDbContext();

    public async ValueTask DisposeAsync()
    {
        await Services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { Path, Path + "-wal", Path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
