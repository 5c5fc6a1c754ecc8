using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class AuditServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : AuditServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : AuditServiceTests(TestEngine.Postgres);

    private const string Alice = "alice@example.org";
    private const string Bob = "bob@example.org";

    private AuditService Audit => db.Get<AuditService>();

    /// <summary>Five changes, an hour apart: three category edits by Alice, then two supplier renames by Bob.</summary>
    private async Task MakeFiveChangesAsync()
    {
        var catalogue = db.Get<CatalogueService>();
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");
        foreach (var order in new[] { 4, 5, 6 })
        {
            db.Time.Advance(TimeSpan.FromHours(1));
            var input = CategoryInput.From(analytics);
            input.Order = order;
            await catalogue.UpdateCategoryAsync(analytics.Id, input, Alice);
        }
        var gainsight = (await catalogue.ListSuppliersAsync()).Single(s => s.Name == "Gainsight");
        foreach (var name in new[] { "Gainsight Inc.", "Gainsight" })
        {
            db.Time.Advance(TimeSpan.FromHours(1));
            await catalogue.RenameSupplierAsync(gainsight.Id, new SupplierInput { Name = name }, Bob);
        }
    }

    [Fact]
    public async Task Entries_come_newest_first_a_page_at_a_time_with_the_total()
    {
        await MakeFiveChangesAsync();

        var first = await Audit.GetPageAsync(new AuditQuery(Page: 0, PageSize: 2));
        var last = await Audit.GetPageAsync(new AuditQuery(Page: 2, PageSize: 2));

        Assert.Equal(5, first.TotalCount);
        Assert.Equal(["supplier.rename", "supplier.rename"], first.Entries.Select(e => e.Action));
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddHours(5), first.Entries[0].At);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddHours(4), first.Entries[1].At);
        var oldest = Assert.Single(last.Entries);
        Assert.Equal(("category.update", Alice, TestDatabase.Start.UtcDateTime.AddHours(1)), (oldest.Action, oldest.Actor, oldest.At));
    }

    [Fact]
    public async Task Entries_can_be_filtered_by_kind_of_entity_and_by_who_made_the_change()
    {
        await MakeFiveChangesAsync();

        var categories = await Audit.GetPageAsync(new AuditQuery(EntityType: "Category"));
        var bobs = await Audit.GetPageAsync(new AuditQuery(Actor: Bob));
        var none = await Audit.GetPageAsync(new AuditQuery(EntityType: "Category", Actor: Bob));

        Assert.Equal(3, categories.TotalCount);
        Assert.All(categories.Entries, e => Assert.Equal("Category", e.EntityType));
        Assert.Equal(2, bobs.TotalCount);
        Assert.All(bobs.Entries, e => Assert.Equal(Bob, e.Actor));
        Assert.Equal(0, none.TotalCount);
        Assert.Equal(["Category", "Supplier"], await Audit.GetEntityTypesAsync());
        Assert.Equal([Alice, Bob], await Audit.GetActorsAsync());
    }

    [Fact]
    public async Task Each_entry_lists_only_the_fields_the_change_touched()
    {
        await MakeFiveChangesAsync();

        var newest = (await Audit.GetPageAsync(new AuditQuery(PageSize: 1))).Entries.Single();
        var oldest = (await Audit.GetPageAsync(new AuditQuery(Page: 4, PageSize: 1))).Entries.Single();

        Assert.Equal([new AuditChange("Name", "Gainsight Inc.", "Gainsight")], newest.Changes);
        Assert.Equal([new AuditChange("Order", "1", "4")], oldest.Changes);
        Assert.Equal(("Gainsight", "Analytics"), (newest.Subject, oldest.Subject));
    }

    [Fact]
    public void A_creation_lists_every_field_without_a_before_and_a_deletion_without_an_after()
    {
        var created = AuditService.Diff(null, """{"Id":7,"Name":"Vimeo","Note":null}""");
        var deleted = AuditService.Diff("""{"Id":7,"Name":"Vimeo"}""", null);

        Assert.Equal([new AuditChange("Id", null, "7"), new AuditChange("Name", null, "Vimeo")], created);
        Assert.Equal([new AuditChange("Id", "7", null), new AuditChange("Name", "Vimeo", null)], deleted);
    }
}

public abstract class AuditTrailStorageTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : AuditTrailStorageTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : AuditTrailStorageTests(TestEngine.Postgres);

    private async Task<long> AuditOneChangeAsync()
    {
        var catalogue = db.Get<Consent.Core.Catalogue.CatalogueService>();
        var locale = (await catalogue.ListCookiesAsync()).Single(c => c.Name == "Locale");
        await catalogue.UpdateCookieAsync(locale.Id, new Consent.Core.Catalogue.CookieInput
        {
            SupplierName = "Gainsight",
            Name = "Locale",
            CategoryKey = "functional",
            Duration = "5 years",
            Function = "Remembers your language.",
        }, "privacy@example.org");
        await using var context = db.NewContext();
        return await context.AuditEntries.Where(a => a.Action == "cookie.update").Select(a => a.Id).SingleAsync();
    }

    [Theory]
    [InlineData("""UPDATE "AuditEntries" SET "Actor" = 'someone else'""")]
    [InlineData("""DELETE FROM "AuditEntries" """)]
    public async Task The_database_itself_refuses_to_change_or_delete_audit_entries(string sql)
    {
        await AuditOneChangeAsync();
        await using var context = db.NewContext();

        var error = await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => context.Database.ExecuteSqlRawAsync(sql));

        Assert.Contains("AuditEntries is append-only", error.Message);
        Assert.Equal("privacy@example.org", (await context.AuditEntries.SingleAsync(a => a.Action == "cookie.update")).Actor);
    }

    [Fact]
    public async Task The_context_refuses_to_change_an_audit_entry()
    {
        var id = await AuditOneChangeAsync();
        await using var context = db.NewContext();
        (await context.AuditEntries.SingleAsync(a => a.Id == id)).Actor = "someone else";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => context.SaveChangesAsync());
        Assert.Contains("append-only", error.Message);
    }
}
