using Consent.Core.Consents;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

/// <summary>Other websites (Consent:Sites) whose pages record choices through the API: stored, shown and checked.</summary>
public abstract class ConsentSitesTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : ConsentSitesTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentSitesTests(TestEngine.Postgres);

    private TestDatabase db = null!;

    public async ValueTask InitializeAsync() =>
        db = await TestDatabase.CreateAsync(engine, new() { ["Sites:docs"] = "https://docs.example.org" });

    public ValueTask DisposeAsync() => db is null ? ValueTask.CompletedTask : db.DisposeAsync();

    private static VisitorContext Visitor => new(null, "en-GB", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private Task<ConsentReceipt> RecordAsync(string? site) =>
        db.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1, Site = site }, Visitor);

    [Fact]
    public async Task A_choice_made_on_a_configured_site_keeps_the_site_in_the_log_and_its_export()
    {
        var onSite = await RecordAsync("docs");
        var onCenter = await RecordAsync(null);

        var entry = Assert.Single((await db.Get<ConsentLog>().SearchAsync(onSite.Record.Id.ToString()))!.History);
        var csv = new StringWriter();
        var day = DateOnly.FromDateTime(db.Time.GetUtcNow().UtcDateTime);
        await db.Get<ConsentLog>().ExportCsvAsync(day, day, "analyst@example.org", csv);

        Assert.Equal("docs", entry.Site);
        var lines = csv.ToString().TrimEnd().Split(Environment.NewLine);
        Assert.EndsWith(",site", lines[0]);
        Assert.EndsWith(",en,Firefox,docs", Assert.Single(lines, l => l.StartsWith(onSite.Record.Id.ToString("D"))));
        Assert.EndsWith(",en,Firefox,", Assert.Single(lines, l => l.StartsWith(onCenter.Record.Id.ToString("D"))));
    }

    [Fact]
    public async Task A_site_that_is_not_configured_is_refused_and_nothing_is_stored()
    {
        var outcome = await db.Get<ConsentService>().RecordAsync(
            new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1, Site = "blog" }, Visitor);

        var (field, messages) = Assert.Single(outcome.Errors);
        Assert.Equal(("site", "There is no site \"blog\"; the configured sites are docs."), (field, Assert.Single(messages)));
        await using var context = db.NewContext();
        Assert.Equal(0, await context.ConsentRecords.CountAsync());
    }

    [Theory]
    [InlineData("Docs", "https://docs.example.org", "a site id is 1 to 64 lower-case letters")]
    [InlineData("docs", "https://docs.example.org/", "it must be the site's origin")]
    [InlineData("docs", "https://docs.example.org/help", "it must be the site's origin")]
    [InlineData("docs", "docs.example.org", "it must be the site's origin")]
    [InlineData("docs", "ftp://docs.example.org", "it must be the site's origin")]
    public async Task A_badly_written_site_stops_the_center_with_a_clear_message(string site, string origin, string message)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { [$"Sites:{site}"] = origin }));

        Assert.Contains(message, error.Message);
    }

    [Fact]
    public async Task Origins_with_a_port_are_accepted()
    {
        await using var other = await TestDatabase.CreateAsync(new() { ["Sites:local"] = "http://localhost:8080", ["Sites:shop-2"] = "https://shop.example.org" });

        Assert.Equal("local", other.Get<IOptions<Consent.Core.Policies.ConsentOptions>>().Value.SiteOf("http://localhost:8080"));
    }
}
