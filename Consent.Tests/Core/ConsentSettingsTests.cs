using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class ConsentSettingsTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ConsentSettingsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentSettingsTests(TestEngine.Postgres);

    private const string Admin = "privacy@example.org";
    private static readonly VisitorContext NewVisitor = new(null, "en-GB", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private ConsentSettingsService settings = null!;
    private ConsentService consents = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        settings = db.Get<ConsentSettingsService>();
        consents = db.Get<ConsentService>();
    }

    private static ConsentSettingsInput Input(int lifetime, int refusal, bool confirm = false) =>
        new() { LifetimeMonths = lifetime, RefusalLifetimeMonths = refusal, ConfirmShortRefusal = confirm };

    private static ConsentSubmission Submission(ConsentMethod method, params string[] granted) =>
        new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = [.. granted] };

    private async Task<string> DeclaredConsentCookieDurationAsync() =>
        (await db.Get<CatalogueService>().GetCategoriesAsync()).SelectMany(c => c.Cookies).Single(c => c.Name == ConsentCookie.Name).Duration;

    [Fact]
    public async Task The_first_start_takes_both_periods_from_configuration()
    {
        await using var configured = await TestDatabase.CreateAsync(new() { ["LifetimeMonths"] = "12", ["RefusalLifetimeMonths"] = "7" });

        var periods = (await configured.Get<SnapshotService>().GetAsync()).Periods;

        Assert.Equal(new ConsentPeriods(12, 7), periods);
    }

    [Fact]
    public async Task Without_configuration_both_periods_are_six_months()
    {
        Assert.Equal(new ConsentPeriods(6, 6), (await db.Get<SnapshotService>().GetAsync()).Periods);
    }

    [Theory]
    [InlineData(0, 6, "LifetimeMonths", "A consent must hold for at least 1 month.")]
    [InlineData(14, 6, "LifetimeMonths", "CNIL allows keeping a consent for at most 13 months; choose 13 or fewer.")]
    [InlineData(6, 0, "RefusalLifetimeMonths", "A refusal must hold for at least 1 month before the banner asks again.")]
    [InlineData(6, 14, "RefusalLifetimeMonths", "A refusal is kept at most 13 months, like a consent; choose 13 or fewer.")]
    public async Task A_period_outside_CNIL_guidance_is_an_error_and_changes_nothing(int lifetime, int refusal, string field, string message)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => settings.SaveAsync(Input(lifetime, refusal), Admin));

        var failure = Assert.Single(error.Errors);
        Assert.Equal((field, message, Severity.Error), (failure.PropertyName, failure.ErrorMessage, failure.Severity));
        Assert.Equal(new ConsentPeriods(6, 6), (await db.Get<SnapshotService>().GetAsync()).Periods);
        await using var context = db.NewContext();
        Assert.False(await context.AuditEntries.AnyAsync());
    }

    [Fact]
    public async Task A_re_ask_interval_under_six_months_is_a_warning_not_an_error()
    {
        var result = await db.Get<IValidator<ConsentSettingsInput>>().ValidateAsync(Input(6, 3, confirm: true));

        var warning = Assert.Single(result.Errors);
        Assert.Equal(("RefusalLifetimeMonths", Severity.Warning), (warning.PropertyName, warning.Severity));
        Assert.Equal("CNIL recommends not asking again for at least 6 months after a refusal.", warning.ErrorMessage);
    }

    [Fact]
    public async Task Six_months_or_more_after_a_refusal_raises_no_warning()
    {
        var result = await db.Get<IValidator<ConsentSettingsInput>>().ValidateAsync(Input(13, 6));

        Assert.Empty(result.Errors);
    }

    [Fact]
    public async Task A_short_re_ask_interval_is_saved_only_once_confirmed()
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => settings.SaveAsync(Input(6, 3), Admin));

        Assert.Equal(["Confirm that visitors who refused are asked again sooner than CNIL recommends."], error.Errors.Select(e => e.ErrorMessage));
        Assert.Equal(new ConsentPeriods(6, 6), (await db.Get<SnapshotService>().GetAsync()).Periods);

        await settings.SaveAsync(Input(6, 3, confirm: true), Admin);

        Assert.Equal(new ConsentPeriods(6, 3), (await db.Get<SnapshotService>().GetAsync()).Periods);
    }

    [Fact]
    public async Task Saving_stores_the_periods_with_an_audit_entry_and_who_changed_them()
    {
        db.Time.Advance(TimeSpan.FromHours(2));

        await settings.SaveAsync(Input(12, 8), Admin);

        var row = await settings.GetAsync();
        Assert.Equal((12, 8, Admin, TestDatabase.Start.UtcDateTime.AddHours(2)), (row.LifetimeMonths, row.RefusalLifetimeMonths, row.UpdatedBy, row.UpdatedAt));
        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync();
        Assert.Equal(("settings.update", "Settings", Admin), (entry.Action, entry.EntityType, entry.Actor));
        Assert.Equal("{\"LifetimeMonths\":6,\"RefusalLifetimeMonths\":6}", entry.Before);
        Assert.Equal("{\"LifetimeMonths\":12,\"RefusalLifetimeMonths\":8}", entry.After);
    }

    [Theory]
    [InlineData(12, 6, "12 months")]
    [InlineData(3, 13, "13 months")]
    public async Task The_consent_cookie_is_declared_for_the_longer_of_the_two_periods(int lifetime, int refusal, string declared)
    {
        await settings.SaveAsync(Input(lifetime, refusal), Admin);

        Assert.Equal(declared, await DeclaredConsentCookieDurationAsync());
    }

    [Fact]
    public async Task A_later_start_keeps_the_saved_periods_over_configuration()
    {
        await settings.SaveAsync(Input(12, 9), Admin);

        await Consent.Core.Persistence.ConsentDatabase.InitializeAsync(db.Services);

        Assert.Equal((12, 9), ((await settings.GetAsync()).LifetimeMonths, (await settings.GetAsync()).RefusalLifetimeMonths));
        Assert.Equal("12 months", await DeclaredConsentCookieDurationAsync());
    }

    [Fact]
    public async Task A_reject_all_holds_for_the_re_ask_interval_and_then_the_banner_asks_again()
    {
        await settings.SaveAsync(Input(13, 6), Admin);
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(6), receipt.Record.ExpiresAt);

        db.Time.SetUtcNow(TestDatabase.Start.AddMonths(6).AddDays(-1));
        var before = await consents.GetCurrentAsync(receipt.CookieValue);
        db.Time.SetUtcNow(TestDatabase.Start.AddMonths(6).AddDays(1));
        var after = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.True(before.HasDecision);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(6), before.ExpiresAt);
        Assert.False(after.HasDecision);
        Assert.False(after.AnsweredOlderPolicy);
    }

    [Fact]
    public async Task A_choice_that_allows_something_holds_for_the_consent_lifetime()
    {
        await settings.SaveAsync(Input(13, 6), Admin);
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.Custom, "analytics"), NewVisitor);

        db.Time.SetUtcNow(TestDatabase.Start.AddMonths(6).AddDays(1));
        var current = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(13), receipt.Record.ExpiresAt);
        Assert.True(current.HasDecision);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(13), current.ExpiresAt);
    }

    [Theory]
    [InlineData(ConsentMethod.Custom)]
    [InlineData(ConsentMethod.Withdrawal)]
    public async Task A_custom_choice_allowing_nothing_and_a_withdrawal_count_as_refusals(ConsentMethod method)
    {
        await settings.SaveAsync(Input(12, 4, confirm: true), Admin);

        var receipt = await consents.RecordReceiptAsync(Submission(method), NewVisitor);

        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(4), receipt.Record.ExpiresAt);
        db.Time.SetUtcNow(TestDatabase.Start.AddMonths(4).AddDays(1));
        Assert.False((await consents.GetCurrentAsync(receipt.CookieValue)).HasDecision);
    }

    [Fact]
    public async Task Shortening_the_lifetime_applies_at_once_to_decisions_already_made()
    {
        await settings.SaveAsync(Input(13, 13), Admin);
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);
        db.Time.SetUtcNow(TestDatabase.Start.AddMonths(4));
        Assert.True((await consents.GetCurrentAsync(receipt.CookieValue)).HasDecision);

        await settings.SaveAsync(Input(3, 13), Admin);

        Assert.False((await consents.GetCurrentAsync(receipt.CookieValue)).HasDecision);
    }
}
