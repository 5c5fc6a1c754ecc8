using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

/// <summary>The SQLite file as the center creates it.</summary>
public sealed class SqliteFileTests : IAsyncLifetime
{
    private ScratchDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await ScratchDatabase.CreateAsync(TestEngine.Sqlite, migrated: false);

    public async ValueTask DisposeAsync() => await database.DisposeAsync();

    [Fact]
    public async Task A_new_file_is_created_in_write_ahead_log_mode()
    {
        await using var db = ConsentDbContextFactory.For(database.Options).CreateDbContext();

        await ConsentDatabase.MigrateAsync(db);

        Assert.Equal("wal", await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS \"Value\" FROM pragma_journal_mode()").SingleAsync());
    }
}
