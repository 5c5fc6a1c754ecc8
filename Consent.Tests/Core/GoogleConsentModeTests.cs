using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Consent.Tests.Core;

public abstract class GoogleConsentModeTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : GoogleConsentModeTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : GoogleConsentModeTests(TestEngine.Postgres);

    private const string Admin = "privacy@example.org";

    private GoogleConsentModeService service = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        service = db.Get<GoogleConsentModeService>();
    }

    private static GoogleConsentModeConfig Config(GoogleConsentMode mode) => new(mode, new Dictionary<string, IReadOnlyList<string>>
    {
        ["functional"] = ["functionality_storage", "security_storage"],
        ["analytics"] = ["analytics_storage"],
        ["social-media"] = ["ad_storage", "ad_user_data", "ad_personalization", "personalization_storage"],
    });

    private static IEnumerable<string> Granted(IReadOnlyDictionary<string, string> state) =>
        state.Where(p => p.Value == "granted").Select(p => p.Key);

    [Fact]
    public async Task A_new_database_is_in_basic_mode_with_the_seeded_mapping_in_catalogue_order()
    {
        var config = (await db.Get<SnapshotService>().GetAsync()).ConsentMode;

        Assert.Equal(GoogleConsentMode.Basic, config.Mode);
        Assert.Equal(["functional", "analytics", "social-media"], config.Types.Keys);
        Assert.Equal(["functionality_storage", "security_storage"], config.Types["functional"]);
        Assert.Equal(["analytics_storage"], config.Types["analytics"]);
        Assert.Equal(["ad_storage", "ad_user_data", "ad_personalization", "personalization_storage"], config.Types["social-media"]);
    }

    [Fact]
    public void The_default_denies_every_type_but_security_storage()
    {
        var state = GoogleConsentModeConfig.DefaultState();

        Assert.Equal(GoogleConsentTypes.All, state.Keys);
        Assert.Equal(["security_storage"], Granted(state));
    }

    [Fact]
    public void An_update_grants_each_type_that_a_granted_category_maps_and_denies_the_rest()
    {
        var state = Config(GoogleConsentMode.Basic).UpdateState(["functional", "analytics"]);

        Assert.Equal(GoogleConsentTypes.All, state.Keys);
        Assert.Equal(["analytics_storage", "functionality_storage", "security_storage"], Granted(state));
    }

    [Fact]
    public void Security_storage_is_granted_even_when_no_granted_category_maps_it()
    {
        var config = new GoogleConsentModeConfig(GoogleConsentMode.Basic, new Dictionary<string, IReadOnlyList<string>> { ["analytics"] = ["analytics_storage"] });

        Assert.Equal(["analytics_storage", "security_storage"], Granted(config.UpdateState(["analytics", "unknown"])));
    }

    [Fact]
    public void Without_a_settled_state_the_script_sets_only_the_defaults()
    {
        var script = Config(GoogleConsentMode.Basic).InlineScript(new CurrentConsent(1, false, []))!;

        Assert.StartsWith("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('consent','default',", script);
        Assert.Contains("\"ad_storage\":\"denied\"", script);
        Assert.Contains("\"security_storage\":\"granted\"", script);
        Assert.Contains("\"wait_for_update\":500", script);
        Assert.DoesNotContain("'update'", script);
    }

    [Fact]
    public void With_a_decision_the_script_updates_after_the_defaults()
    {
        var script = Config(GoogleConsentMode.Advanced).InlineScript(new CurrentConsent(1, true, ["functional", "social-media"]))!;

        var update = script[script.IndexOf("gtag('consent','update',", StringComparison.Ordinal)..];
        Assert.True(script.IndexOf("'default'", StringComparison.Ordinal) < script.IndexOf("'update'", StringComparison.Ordinal));
        Assert.Contains("\"ad_storage\":\"granted\"", update);
        Assert.Contains("\"personalization_storage\":\"granted\"", update);
        Assert.Contains("\"analytics_storage\":\"denied\"", update);
    }

    [Fact]
    public void An_honoured_signal_updates_to_the_required_categories_only()
    {
        var script = Config(GoogleConsentMode.Basic).InlineScript(
            new CurrentConsent(1, false, ["functional"], HonouredSignal: PrivacySignal.GlobalPrivacyControl))!;

        var update = script[script.IndexOf("gtag('consent','update',", StringComparison.Ordinal)..];
        Assert.Contains("\"functionality_storage\":\"granted\"", update);
        Assert.Contains("\"ad_storage\":\"denied\"", update);
        Assert.Contains("\"analytics_storage\":\"denied\"", update);
    }

    [Fact]
    public void Mode_off_emits_no_script()
    {
        Assert.Null(Config(GoogleConsentMode.Off).InlineScript(new CurrentConsent(1, true, ["functional", "analytics"])));
    }

    [Fact]
    public async Task Changing_the_mode_is_stored_audited_and_used_at_once()
    {
        await db.Get<SnapshotService>().GetAsync();

        await service.SaveModeAsync(new GoogleConsentModeInput { Mode = GoogleConsentMode.Off }, Admin);

        Assert.Equal(GoogleConsentMode.Off, (await db.Get<SnapshotService>().GetAsync()).ConsentMode.Mode);
        await using var context = db.NewContext();
        Assert.Equal(GoogleConsentMode.Off, (await context.ConsentSettings.SingleAsync()).GoogleConsentMode);
        var entry = await context.AuditEntries.SingleAsync(e => e.EntityKey == "google-consent-mode");
        Assert.Equal((Admin, "settings.update", """{"GoogleConsentMode":"Basic"}""", """{"GoogleConsentMode":"Off"}"""),
            (entry.Actor, entry.Action, entry.Before, entry.After));
    }

    [Fact]
    public async Task A_mode_that_does_not_exist_is_refused_and_nothing_changes()
    {
        await Assert.ThrowsAsync<ValidationException>(() =>
            service.SaveModeAsync(new GoogleConsentModeInput { Mode = (GoogleConsentMode)7 }, Admin));

        await using var context = db.NewContext();
        Assert.Equal(GoogleConsentMode.Basic, (await context.ConsentSettings.SingleAsync()).GoogleConsentMode);
        Assert.Empty(await context.AuditEntries.ToListAsync());
    }

    [Fact]
    public async Task A_category_mapping_changed_in_the_catalogue_is_used_at_once_and_audited()
    {
        await db.Get<SnapshotService>().GetAsync();
        var catalogue = db.Get<CatalogueService>();
        var analytics = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "analytics");

        var input = CategoryInput.From(analytics);
        input.GoogleConsentTypes = ["personalization_storage", "analytics_storage"];
        await catalogue.UpdateCategoryAsync(analytics.Id, input, Admin);

        Assert.Equal(["analytics_storage", "personalization_storage"], (await db.Get<SnapshotService>().GetAsync()).ConsentMode.Types["analytics"]);
        Assert.Equal(["analytics_storage", "personalization_storage"], (await catalogue.GetCategoriesAsync()).Single(c => c.Key == "analytics").GoogleConsentTypes);
        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync(e => e.Action == "category.update");
        Assert.Contains("\"GoogleConsentTypes\":[\"analytics_storage\"]", entry.Before);
        Assert.Contains("\"GoogleConsentTypes\":[\"analytics_storage\",\"personalization_storage\"]", entry.After);
    }

    [Fact]
    public async Task A_category_change_that_does_not_name_the_types_keeps_the_mapping()
    {
        var catalogue = db.Get<CatalogueService>();
        var social = (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "social-media");

        await catalogue.UpdateCategoryAsync(social.Id, new CategoryInput
        {
            Key = social.Key,
            Name = "Social media",
            Description = social.Description,
            Order = social.Order,
        }, Admin);

        Assert.Equal(["ad_storage", "ad_user_data", "ad_personalization", "personalization_storage"],
            (await catalogue.ListCategoriesAsync()).Single(c => c.Key == "social-media").GoogleConsentTypes);
    }
}
