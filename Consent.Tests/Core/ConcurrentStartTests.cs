using Consent.Core;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Core;

/// <summary>Several instances of the center starting at the same moment on one PostgreSQL database that does not exist yet.</summary>
[Trait("Engine", "Postgres")]
public sealed class ConcurrentStartTests : IAsyncLifetime
{
    private readonly List<ServiceProvider> instances = [];
    private ScratchDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await ScratchDatabase.CreateAsync(TestEngine.Postgres, migrated: false);

    public async ValueTask DisposeAsync()
    {
        foreach (var instance in instances) await instance.DisposeAsync();
        await database.DisposeAsync();
    }

    [Fact]
    public async Task Four_instances_starting_together_create_the_database_once_and_seed_it_once()
    {
        for (var i = 0; i < 4; i++)
        {
            instances.Add(TestDatabase.ServicesOf(database.Options, TimeProvider.System));
        }

        await Task.WhenAll(instances.Select(i => Task.Run(() => ConsentDatabase.InitializeAsync(i))));

        await using var db = await instances[0].GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        Assert.Equal(3, await db.Categories.CountAsync());
        Assert.Equal(1, await db.PolicyVersions.CountAsync());
        // One key of each purpose: the consent cookie's and the log's checkpoint key.
        Assert.Equal(["consent-cookie", "log-checkpoint"], await db.SigningKeys.OrderBy(k => k.Purpose).Select(k => k.Purpose).ToListAsync());
        Assert.Equal(1, await db.DataProtectionKeys.CountAsync());
        Assert.Equal(1, await db.ConsentSettings.CountAsync());
    }
}
