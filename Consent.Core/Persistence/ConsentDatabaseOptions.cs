using Microsoft.Extensions.Configuration;

namespace Consent.Core.Persistence;

/// <summary>
/// Which database the center uses and how it is prepared: <c>Consent:Database:Provider</c>,
/// <c>ConnectionStrings:Consent</c> and <c>Consent:Database:MigrateOnStart</c>.
/// </summary>
public sealed record ConsentDatabaseOptions(DatabaseProvider Provider, string ConnectionString, bool MigrateOnStart = true)
{
    /// <summary>Without the connection string, which may hold a password.</summary>
    public override string ToString() => $"{Provider} database (migrate on start: {MigrateOnStart})";

    /// <summary>
    /// Reads the options from the app's configuration. Without a connection string SQLite uses
    /// <paramref name="defaultSqliteFile"/>; PostgreSQL has no default. A wrong value stops the start with a message naming the key.
    /// </summary>
    public static ConsentDatabaseOptions FromConfiguration(IConfiguration configuration, string defaultSqliteFile)
    {
        var providerText = configuration["Consent:Database:Provider"];
        var provider = DatabaseProvider.Sqlite;
        if (!string.IsNullOrWhiteSpace(providerText))
        {
            // By name only: Enum.TryParse would also take "1".
            var named = Enum.GetValues<DatabaseProvider>()
                .Where(p => string.Equals(p.ToString(), providerText.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            provider = named.Count == 1 ? named[0] : throw new InvalidOperationException(
                $"Consent:Database:Provider is \"{providerText}\"; it must be \"Sqlite\" (the default, one file) or \"Postgres\" (a PostgreSQL server).");
        }

        var connectionString = configuration.GetConnectionString("Consent");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = provider == DatabaseProvider.Sqlite
                ? $"Data Source={defaultSqliteFile}"
                : throw new InvalidOperationException(
                    "Consent:Database:Provider is Postgres but ConnectionStrings:Consent is not set; give the server, for example " +
                    "ConnectionStrings__Consent=\"Host=db.internal;Database=consent;Username=consent;Password=…\".");
        }

        var migrateText = configuration["Consent:Database:MigrateOnStart"];
        var migrate = true;
        if (!string.IsNullOrWhiteSpace(migrateText) && !bool.TryParse(migrateText.Trim(), out migrate))
        {
            throw new InvalidOperationException($"Consent:Database:MigrateOnStart is \"{migrateText}\"; it must be true (the default) or false.");
        }
        return new ConsentDatabaseOptions(provider, connectionString, migrate);
    }
}
