using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consent.Core.Persistence;

/// <summary>Makes the context of the configured engine, so that each engine finds its own migrations.</summary>
public sealed class ConsentDbContextFactory(DbContextOptions<ConsentDbContext> options, ConsentDatabaseOptions database) : IDbContextFactory<ConsentDbContext>
{
    public ConsentDbContext CreateDbContext() => database.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresConsentDbContext(options),
        _ => new SqliteConsentDbContext(options),
    };

    /// <summary>A factory for <paramref name="database"/> outside dependency injection (start-up steps, tests, benchmarks).</summary>
    public static ConsentDbContextFactory For(ConsentDatabaseOptions database, params IInterceptor[] interceptors)
    {
        var builder = new DbContextOptionsBuilder<ConsentDbContext>();
        Configure(builder, database).AddInterceptors(interceptors);
        return new ConsentDbContextFactory(builder.Options, database);
    }

    /// <summary>Points an options builder at the configured engine.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, ConsentDatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.Postgres => builder.UseNpgsql(database.ConnectionString),
        _ => builder.UseSqlite(database.ConnectionString),
    };
}
