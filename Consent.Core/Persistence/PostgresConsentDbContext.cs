using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Persistence;

/// <summary>The center on a PostgreSQL server: its migrations are in Migrations/Postgres.</summary>
public sealed class PostgresConsentDbContext(DbContextOptions<ConsentDbContext> options) : ConsentDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Postgres;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // Every time the center keeps is UTC (timestamptz); this says so to Npgsql for values built from dates.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
    }
}
