using Consent.Core.Persistence;
using Microsoft.Extensions.Configuration;

namespace Consent.Tests.Core;

/// <summary>The database is chosen by configuration only; a wrong value stops the start with a message naming the key.</summary>
public class ConsentDatabaseOptionsTests
{
    private static ConsentDatabaseOptions Read(params (string Key, string Value)[] settings) =>
        ConsentDatabaseOptions.FromConfiguration(
            new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build(),
            "/srv/consent/consent.db");

    [Fact]
    public void Without_settings_the_center_runs_on_a_SQLite_file_beside_the_app_and_migrates_on_start()
    {
        Assert.Equal(new ConsentDatabaseOptions(DatabaseProvider.Sqlite, "Data Source=/srv/consent/consent.db", MigrateOnStart: true), Read());
    }

    [Theory]
    [InlineData("Postgres")]
    [InlineData("postgres")]
    public void Postgres_takes_the_connection_string_as_given(string provider)
    {
        var options = Read(("Consent:Database:Provider", provider), ("ConnectionStrings:Consent", "Host=db;Database=consent"), ("Consent:Database:MigrateOnStart", "false"));

        Assert.Equal(new ConsentDatabaseOptions(DatabaseProvider.Postgres, "Host=db;Database=consent", MigrateOnStart: false), options);
    }

    [Theory]
    [InlineData("MySql")]
    [InlineData("1")]
    public void An_unknown_provider_is_refused_with_the_ones_there_are(string provider)
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Consent:Database:Provider", provider)));

        Assert.Equal($"Consent:Database:Provider is \"{provider}\"; it must be \"Sqlite\" (the default, one file) or \"Postgres\" (a PostgreSQL server).", error.Message);
    }

    [Fact]
    public void Postgres_without_a_connection_string_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Consent:Database:Provider", "Postgres")));

        Assert.StartsWith("Consent:Database:Provider is Postgres but ConnectionStrings:Consent is not set", error.Message);
    }

    [Fact]
    public void A_migrate_on_start_that_is_not_a_boolean_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Read(("Consent:Database:MigrateOnStart", "sometimes")));

        Assert.Equal("Consent:Database:MigrateOnStart is \"sometimes\"; it must be true (the default) or false.", error.Message);
    }
}
