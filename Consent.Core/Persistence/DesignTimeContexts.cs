using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Consent.Core.Persistence;

/// <summary>For <c>dotnet ef migrations add … --context SqliteConsentDbContext</c>: no database is opened.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteConsentDbContext>
{
    public SqliteConsentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsentDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>For <c>dotnet ef migrations add … --context PostgresConsentDbContext</c>: no server is contacted.</summary>
internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresConsentDbContext>
{
    public PostgresConsentDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<ConsentDbContext>().UseNpgsql("Host=localhost;Database=consent").Options);
}
