using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Persistence;

/// <summary>The center on one SQLite file: its migrations are in Migrations/Sqlite.</summary>
public sealed class SqliteConsentDbContext(DbContextOptions<ConsentDbContext> options) : ConsentDbContext(options)
{
    public override DatabaseProvider Provider => DatabaseProvider.Sqlite;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        base.ConfigureConventions(configurationBuilder);
        // Whole microseconds since 1970 (UTC) in 8 bytes instead of 27 characters of text, at PostgreSQL's precision.
        configurationBuilder.Properties<DateTime>().HaveConversion<UnixMicrosecondsConverter>();
        configurationBuilder.Properties<Guid>().HaveConversion<BigEndianGuidConverter>();
    }
}
