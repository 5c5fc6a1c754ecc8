using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Consent.Tests.Core;

public abstract class PolicyServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : PolicyServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : PolicyServiceTests(TestEngine.Postgres);

    private const string Admin = "privacy@example.org";
    private const string VideoSummary = "We added a video supplier to Social media + embedded videos.";

    private PolicyService policies = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        policies = db.Get<PolicyService>();
    }

    private static PolicyPublication Publication(string? summary = VideoSummary, params string[] changed) =>
        new() { Summary = summary, ChangedCategories = changed.Length == 0 ? ["social-media"] : [.. changed] };

    private async Task<List<PolicyVersion>> StoredVersionsAsync()
    {
        await using var context = db.NewContext();
        return await context.PolicyVersions.AsNoTracking().OrderBy(p => p.Number).ToListAsync();
    }

    /// <summary>What a visitor reads of the catalogue, without the database ids.</summary>
    private static object Readable(IEnumerable<CategoryView> categories) =>
        categories.Select(c => (c.Key, c.Name, c.Description, c.IsRequired,
            string.Join(" | ", c.Cookies.Select(k => $"{k.Supplier}/{k.Name}/{k.Duration}/{k.Function}")))).ToList();

    [Fact]
    public async Task Publishing_creates_the_next_version_with_who_when_what_and_the_changed_categories()
    {
        db.Time.Advance(TimeSpan.FromDays(3));

        var version = await policies.PublishAsync(Publication("  " + VideoSummary + " ", "social-media", "analytics"), Admin);

        var stored = (await StoredVersionsAsync()).Single(v => v.Number == 2);
        Assert.Equal(2, version.Number);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddDays(3), stored.PublishedAt);
        Assert.Equal(Admin, stored.PublishedBy);
        Assert.Equal(VideoSummary, stored.Summary);
        Assert.Equal(["analytics", "social-media"], stored.ChangedCategories);
        Assert.Equal(2, (await policies.GetCurrentAsync()).Number);
    }

    [Fact]
    public async Task Each_publication_takes_the_number_after_the_highest()
    {
        await policies.PublishAsync(Publication(), Admin);
        await policies.PublishAsync(Publication("Analytics now uses a second cookie for sessions.", "analytics"), Admin);

        Assert.Equal([1, 2, 3], (await StoredVersionsAsync()).Select(v => v.Number));
    }

    [Theory]
    [InlineData(null, "Write what changed, in a sentence or two for visitors: the banner shows it to everyone who chose before.")]
    [InlineData("   ", "Write what changed, in a sentence or two for visitors: the banner shows it to everyone who chose before.")]
    [InlineData("Updated.", "Write at least a full sentence (20 characters or more) that tells visitors what changed")]
    [InlineData("We added <b>video</b> cookies to the site.", "Write the summary as plain text for visitors, without HTML tags.")]
    public async Task A_summary_visitors_could_not_read_is_refused_with_a_message_and_nothing_is_published(string? summary, string message)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => policies.PublishAsync(Publication(summary), Admin));

        var failure = Assert.Single(error.Errors);
        Assert.Equal(nameof(PolicyPublication.Summary), failure.PropertyName);
        Assert.StartsWith(message, failure.ErrorMessage);
        Assert.Single(await StoredVersionsAsync());
    }

    [Fact]
    public async Task A_summary_longer_than_the_banner_can_show_is_refused()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => policies.PublishAsync(Publication(new string('a', PolicyVersion.MaxSummary + 1)), Admin));

        Assert.Equal("Keep the summary to 500 characters at most: visitors read it in the banner before they choose.", Assert.Single(error.Errors).ErrorMessage);
        Assert.Single(await StoredVersionsAsync());
    }

    [Fact]
    public async Task A_publication_must_name_at_least_one_changed_category()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => policies.PublishAsync(new PolicyPublication { Summary = VideoSummary }, Admin));

        var failure = Assert.Single(error.Errors);
        Assert.Equal(("ChangedCategories", "Tick at least one category that changed, so visitors know what to look at again."),
            (failure.PropertyName, failure.ErrorMessage));
        Assert.Single(await StoredVersionsAsync());
    }

    [Fact]
    public async Task A_changed_category_that_does_not_exist_is_refused()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(
            () => policies.PublishAsync(Publication(VideoSummary, "analytics", "advertising"), Admin));

        var failure = Assert.Single(error.Errors);
        Assert.StartsWith("ChangedCategories", failure.PropertyName);
        Assert.Equal("There is no category \"advertising\" in the catalogue; tick only categories that exist.", failure.ErrorMessage);
        Assert.Single(await StoredVersionsAsync());
    }

    [Fact]
    public async Task The_snapshot_is_the_catalogue_as_visitors_read_it_at_publication()
    {
        await policies.PublishAsync(Publication(), Admin);

        var details = await policies.GetAsync(2);

        var catalogue = await db.Get<CatalogueService>().GetCategoriesAsync();
        Assert.NotNull(details?.Snapshot);
        Assert.Equal(Readable(catalogue), Readable(details.Snapshot.ToCategoryViews()));
        Assert.Equal([0, 1, 2], details.Snapshot.Categories.Select(c => c.Order));
        Assert.Contains(details.Snapshot.Categories[0].Cookies, k => k.Name == ConsentCookie.Name && k.Supplier == CenterCookies.Supplier);
    }

    [Fact]
    public async Task A_later_catalogue_edit_does_not_change_what_a_published_version_shows()
    {
        await policies.PublishAsync(Publication(), Admin);
        var before = Readable((await policies.GetAsync(2))!.Snapshot!.ToCategoryViews());

        await using (var context = db.NewContext())
        {
            var cookie = await context.Cookies.SingleAsync(c => c.Name == "insights-store");
            cookie.Function = "Rewritten after publication.";
            (await context.Categories.SingleAsync(c => c.Key == "analytics")).Name = "Audience measurement";
            await context.SaveChangesAsync();
        }

        var after = (await policies.GetAsync(2))!.Snapshot!;
        Assert.Equal(before, Readable(after.ToCategoryViews()));
        Assert.Equal("Analytics", after.NameOf("analytics"));
        Assert.DoesNotContain("Rewritten after publication.", Readable(after.ToCategoryViews()).ToString());
    }

    [Fact]
    public async Task Publishing_writes_an_audit_entry_with_the_version()
    {
        await policies.PublishAsync(Publication(), Admin);

        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync(a => a.Action == "policy.publish");
        Assert.Equal((Admin, "PolicyVersion", "2", TestDatabase.Start.UtcDateTime), (entry.Actor, entry.EntityType, entry.EntityKey, entry.At));
        Assert.Null(entry.Before);
        var after = System.Text.Json.JsonDocument.Parse(entry.After!).RootElement;
        Assert.Equal((2, VideoSummary), (after.GetProperty("Number").GetInt32(), after.GetProperty("Summary").GetString()));
    }

    [Fact]
    public async Task A_refused_publication_writes_no_audit_entry()
    {
        await Assert.ThrowsAsync<ValidationException>(() => policies.PublishAsync(Publication(""), Admin));

        await using var context = db.NewContext();
        Assert.False(await context.AuditEntries.AnyAsync());
    }

    [Fact]
    public async Task The_first_version_has_a_snapshot_of_the_seeded_catalogue_with_the_centers_own_cookies()
    {
        var first = await policies.GetAsync(1);

        Assert.NotNull(first?.Snapshot);
        Assert.Equal(Readable(await db.Get<CatalogueService>().GetCategoriesAsync()), Readable(first.Snapshot.ToCategoryViews()));
        Assert.Equal(("system", 0), (first.Version.PublishedBy, first.Version.ChangedCategories.Count));
    }

    [Fact]
    public async Task Versions_are_listed_newest_first_with_the_names_of_the_changed_categories()
    {
        await policies.PublishAsync(Publication(VideoSummary, "social-media", "analytics"), Admin);

        var list = await policies.ListAsync();

        Assert.Equal([2, 1], list.Select(v => v.Number));
        Assert.Equal(["Analytics", "Social media + embedded videos"], list[0].ChangedCategoryNames);
        Assert.Equal(Admin, list[0].PublishedBy);
    }

    [Fact]
    public async Task A_version_that_was_never_published_is_not_found()
    {
        Assert.Null(await policies.GetAsync(7));
    }

    [Fact]
    public async Task The_changes_since_an_answered_version_are_the_newer_summaries_newest_first()
    {
        await policies.PublishAsync(Publication(), Admin);
        await policies.PublishAsync(Publication("Analytics now uses a second cookie for sessions.", "analytics"), Admin);

        var sinceFirst = await policies.GetChangesSinceAsync(1);
        var sinceSecond = await policies.GetChangesSinceAsync(2);

        Assert.Equal([3, 2], sinceFirst.Select(c => c.Number));
        Assert.Equal(["Analytics now uses a second cookie for sessions.", VideoSummary], sinceFirst.Select(c => c.Summary));
        Assert.Equal(["Social media + embedded videos"], sinceFirst[1].ChangedCategoryNames);
        Assert.Equal([3], sinceSecond.Select(c => c.Number));
    }

    [Fact]
    public async Task Two_admins_publishing_at_the_same_moment_never_share_a_number_and_the_second_is_told_why()
    {
        var other = db.Get<PolicyService>();
        // The racing Admin's save starts only after the other Admin's publication of version 2 is committed:
        // both read "1" as the highest number, as two publishes at once would.
        var racing = new PolicyService(
            new RacingFactory(db.Get<ConsentDatabaseOptions>(), () => other.PublishAsync(Publication("Another admin's change to the analytics cookies.", "analytics"), "other@example.org")),
            db.Get<IValidator<PolicyPublication>>(), db.Get<ChangeFeed>(), db.Time);

        var error = await Assert.ThrowsAsync<PolicyPublishConflictException>(() => racing.PublishAsync(Publication(), Admin));

        Assert.StartsWith("Another member of the privacy team published version 2 at the same moment, so yours was not published.", error.Message);
        var stored = await StoredVersionsAsync();
        Assert.Equal([1, 2], stored.Select(v => v.Number));
        Assert.Equal("other@example.org", stored[1].PublishedBy);
        await using var context = db.NewContext();
        Assert.Equal(["other@example.org"], await context.AuditEntries.Select(a => a.Actor).ToListAsync());
    }

    /// <summary>Contexts on the test's database that run <paramref name="beforeFirstSave"/> just before their first save.</summary>
    private sealed class RacingFactory(ConsentDatabaseOptions database, Func<Task> beforeFirstSave) : IDbContextFactory<ConsentDbContext>
    {
        private readonly Interceptor interceptor = new(beforeFirstSave);

        public ConsentDbContext CreateDbContext() => ConsentDbContextFactory.For(database, interceptor).CreateDbContext();

        private sealed class Interceptor(Func<Task> beforeFirstSave) : SaveChangesInterceptor
        {
            private int saves;

            public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
            {
                if (Interlocked.Increment(ref saves) == 1) await beforeFirstSave();
                return result;
            }
        }
    }
}
