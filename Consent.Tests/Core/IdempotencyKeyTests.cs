using System.Collections.Concurrent;
using System.Data.Common;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consent.Tests.Core;

/// <summary>
/// A keyed choice is written without reading its key first: the key's insert tells whether an earlier attempt stored it,
/// and only then is the first answer read. The service here is the real one, on a context that records what EF Core sends.
/// </summary>
public abstract class IdempotencyKeyTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : IdempotencyKeyTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : IdempotencyKeyTests(TestEngine.Postgres);

    private static readonly VisitorContext Visitor = new(null, "en", "Mozilla/5.0 Firefox/128.0");
    private static readonly ConsentSubmission AcceptAll = new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 };
    private static readonly ConsentSubmission RejectAll = new() { Method = ConsentMethod.RejectAll, Source = ConsentSource.Banner, PolicyVersion = 1 };

    private readonly CommandLog commands = new();
    private ConsentService consents = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        consents = new ConsentService(ConsentDbContextFactory.For(db.Get<ConsentDatabaseOptions>(), commands), db.Get<IValidator<ConsentSubmission>>(),
            db.Get<ConsentWriter>(), db.Get<ConsentCookie>(), db.Get<SnapshotService>(), db.Time);
    }

    private async Task<List<ConsentRecord>> StoredRecordsAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().ToListAsync();
    }

    private async Task<List<IdempotencyKey>> StoredKeysAsync()
    {
        await using var context = db.NewContext();
        return await context.IdempotencyKeys.AsNoTracking().ToListAsync();
    }

    [Fact]
    public async Task A_first_keyed_choice_is_stored_without_reading_the_key_table()
    {
        var outcome = await consents.RecordAsync(AcceptAll, Visitor, "key-1");

        Assert.Equal(ConsentOutcomeKind.Recorded, outcome.Kind);
        Assert.Empty(commands.Touching("IdempotencyKeys"));
        Assert.Equal(outcome.Receipt!.Record.Id, Assert.Single(await StoredKeysAsync()).ConsentId);
    }

    [Fact]
    public async Task A_retry_is_answered_from_the_first_record_and_stores_nothing()
    {
        var first = await consents.RecordAsync(AcceptAll, Visitor, "key-1");
        db.Time.Advance(TimeSpan.FromMinutes(5));

        var retry = await consents.RecordAsync(AcceptAll, Visitor, "key-1");

        Assert.Equal(ConsentOutcomeKind.Replayed, retry.Kind);
        Assert.Equal((first.Receipt!.Record.Id, first.Receipt.CookieValue), (retry.Receipt!.Record.Id, retry.Receipt.CookieValue));
        Assert.Single(await StoredRecordsAsync());
        Assert.Single(await StoredKeysAsync());
    }

    [Fact]
    public async Task The_key_of_another_choice_is_refused_and_stores_nothing()
    {
        await consents.RecordAsync(AcceptAll, Visitor, "key-1");

        var reused = await consents.RecordAsync(RejectAll, Visitor, "key-1");

        Assert.Equal(ConsentOutcomeKind.KeyReused, reused.Kind);
        Assert.Contains("already used for another choice", reused.Errors["Idempotency-Key"][0]);
        Assert.Equal(ConsentMethod.AcceptAll, Assert.Single(await StoredRecordsAsync()).Method);
    }

    [Fact]
    public async Task A_key_past_its_window_still_in_the_table_makes_way_for_the_new_choice()
    {
        await consents.RecordAsync(AcceptAll, Visitor, "key-1");
        // A write a little before the key expires runs the writer's sweep of expired keys, so the next write has none.
        db.Time.Advance(ConsentService.IdempotencyWindow - TimeSpan.FromMinutes(2));
        await consents.RecordAsync(AcceptAll, Visitor);
        db.Time.Advance(TimeSpan.FromMinutes(4));
        Assert.Single(await StoredKeysAsync());

        var late = await consents.RecordAsync(RejectAll, Visitor, "key-1");

        Assert.Equal(ConsentOutcomeKind.Recorded, late.Kind);
        Assert.Equal(3, (await StoredRecordsAsync()).Count);
        Assert.Equal(late.Receipt!.Record.Id, Assert.Single(await StoredKeysAsync()).ConsentId);
    }

    [Fact]
    public async Task Attempts_arriving_together_with_one_key_store_one_record_and_all_get_it()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => consents.RecordAsync(AcceptAll, Visitor, "key-1"))));

        var record = Assert.Single(await StoredRecordsAsync());
        Assert.All(answers, a => Assert.Equal(record.Id, a.Receipt!.Record.Id));
        Assert.Single(answers, a => a.Kind == ConsentOutcomeKind.Recorded);
        Assert.Single(await StoredKeysAsync());
    }

    [Fact]
    public async Task Keyed_choices_arriving_together_with_their_own_keys_are_all_stored_without_a_read()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => consents.RecordAsync(AcceptAll, Visitor, $"key-{i}"))));

        Assert.All(answers, a => Assert.Equal(ConsentOutcomeKind.Recorded, a.Kind));
        Assert.Equal(64, (await StoredRecordsAsync()).Count);
        Assert.Equal(64, (await StoredKeysAsync()).Count);
        Assert.Empty(commands.Touching("IdempotencyKeys"));
    }

    [Fact]
    public async Task A_retry_of_a_choice_since_superseded_is_still_answered_from_its_first_record()
    {
        var first = await consents.RecordAsync(AcceptAll, Visitor, "key-1");
        await using (var context = db.NewContext())
        {
            context.PolicyVersions.Add(StoredPolicy.Version(2, db.Time.GetUtcNow().UtcDateTime, "Adds a video supplier."));
            await context.SaveChangesAsync();
        }

        var retry = await consents.RecordAsync(AcceptAll, Visitor, "key-1");

        Assert.Equal(ConsentOutcomeKind.Replayed, retry.Kind);
        Assert.Equal(first.Receipt!.Record.Id, retry.Receipt!.Record.Id);
    }

    /// <summary>The SQL EF Core sends through the service's own contexts.</summary>
    private sealed class CommandLog : DbCommandInterceptor
    {
        private readonly ConcurrentQueue<string> sent = new();

        public IEnumerable<string> Touching(string table) => sent.Where(sql => sql.Contains($"\"{table}\"", StringComparison.Ordinal));

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            sent.Enqueue(command.CommandText);
            return ValueTask.FromResult(result);
        }
    }
}
