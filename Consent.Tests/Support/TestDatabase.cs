using Consent.Core;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Support;

/// <summary>
/// Consent.Core's real services on a database of its own (<see cref="ScratchDatabase"/>: SQLite or PostgreSQL,
/// migrated with the real migrations), seeded with the real seed, and deleted afterwards. Time is a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 10, 0, 0, TimeSpan.Zero);

    private readonly ScratchDatabase database;

    private TestDatabase(ScratchDatabase database, ServiceProvider services, FakeTimeProvider time, Dictionary<string, string?>? settings)
    {
        this.database = database;
        this.settings = settings;
        Services = services;
        Time = time;
    }

    public ServiceProvider Services { get; }
    public FakeTimeProvider Time { get; }
    public TestEngine Engine => database.Engine;
    public string ConnectionString => database.ConnectionString;

    public static async Task<TestDatabase> CreateAsync(Dictionary<string, string?>? consentSettings = null) =>
        await CreateAsync(TestEngine.Sqlite, consentSettings);

    public static async Task<TestDatabase> CreateAsync(TestEngine engine, Dictionary<string, string?>? consentSettings = null)
    {
        var database = await ScratchDatabase.CreateAsync(engine);
        var time = new FakeTimeProvider(Start);
        var services = await StartAsync(database, time, consentSettings);
        return new TestDatabase(database, services, time, consentSettings);
    }

    private readonly List<ServiceProvider> others = [];
    private readonly Dictionary<string, string?>? settings;

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public ConsentDbContext NewContext() => Get<IDbContextFactory<ConsentDbContext>>().CreateDbContext();

    /// <summary>
    /// Another instance of the center on the same database and clock, with services and memory of its own (Data Protection's
    /// key ring, kept copies, the change feed), as after a restart or on a second server. Disposed with this one.
    /// </summary>
    public async Task<ServiceProvider> StartAnotherInstanceAsync()
    {
        var services = await StartAsync(database, Time, settings);
        others.Add(services);
        return services;
    }

    private static async Task<ServiceProvider> StartAsync(ScratchDatabase database, FakeTimeProvider time, Dictionary<string, string?>? consentSettings)
    {
        var services = ServicesOf(database.Options, time, consentSettings);
        await ConsentDatabase.InitializeAsync(services);
        return services;
    }

    /// <summary>An instance's Core services on <paramref name="database"/>, not started: its start-up is the caller's.</summary>
    public static ServiceProvider ServicesOf(ConsentDatabaseOptions database, TimeProvider? time = null, Dictionary<string, string?>? consentSettings = null) =>
        new ServiceCollection()
            .AddSingleton(time ?? new FakeTimeProvider(Start))
            .AddConsentCore(database, new ConfigurationBuilder().AddInMemoryCollection(consentSettings ?? []).Build())
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

    public async ValueTask DisposeAsync()
    {
        foreach (var other in others) await other.DisposeAsync();
        await Services.DisposeAsync();
        await database.DisposeAsync();
    }
}
