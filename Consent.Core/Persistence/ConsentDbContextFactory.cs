using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Persistence;

/// <summary>Makes the context of the configured engine, so that each engine finds its own migrations.</summary>
public sealed class ConsentDbContextFactory(DbContextOptions<ConsentDbContext> options, ConsentDatabaseOptions database) : IDbContextFactory<ConsentDbContext>
{
    public ConsentDbContext CreateDbContext() => database.Provider switch
    {
        DatabaseProvider.Postgres => new PostgresConsentDbContext(options),
        _ => new SqliteConsentDbContext(options),
    };

    /// <summary>Points an options builder at the configured engine.</summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, ConsentDatabaseOptions database) => database.Provider switch
    {
        DatabaseProvider.Postgres => builder.UseNpgsql(database.ConnectionString),
        _ => builder.UseSqlite(database.ConnectionString),
    };
}
