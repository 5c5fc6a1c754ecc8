using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Policies;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using FluentValidation;
using MudBlazor;

namespace Consent.Tests.Components;

public class SettingsPageTests : IAsyncLifetime
{
    private const string Admin = "privacy@example.org";

    private readonly BunitContext bunit = new();
    private TestDatabase db = null!;

    public async ValueTask InitializeAsync()
    {
        db = await TestDatabase.CreateAsync();
        bunit.UseTeamCenter(db, Admin, TeamRoles.Admin);
    }

    public async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        await db.DisposeAsync();
    }

    private IRenderedComponent<SettingsPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        return bunit.Render<SettingsPage>();
    }

    private static void Enter(IRenderedComponent<SettingsPage> cut, string testId, int months) =>
        cut.Find($"input[data-testid={testId}]").Change(months.ToString());

    private static void Save(IRenderedComponent<SettingsPage> cut) =>
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Save settings").Click();

    [Fact]
    public void The_form_shows_the_periods_in_force_and_no_warning()
    {
        var cut = RenderPage();

        Assert.Equal("6", cut.Find("input[data-testid=lifetime-months]").GetAttribute("value"));
        Assert.Equal("6", cut.Find("input[data-testid=refusal-months]").GetAttribute("value"));
        Assert.Empty(cut.FindAll("[data-testid=settings-warning]"));
        Assert.Contains("by system", cut.Find("[data-testid=settings-last-change]").TextContent);
    }

    [Fact]
    public void A_re_ask_interval_under_six_months_shows_the_CNIL_warning_with_a_confirmation()
    {
        var cut = RenderPage();

        Enter(cut, "refusal-months", 3);

        var warning = cut.WaitForElement("[data-testid=settings-warning]");
        Assert.Contains("CNIL recommends not asking again for at least 6 months after a refusal.", warning.TextContent);
        Assert.NotNull(warning.QuerySelector("input[type=checkbox][data-testid=confirm-short-refusal]"));
    }

    [Fact]
    public async Task An_unconfirmed_short_re_ask_interval_is_not_saved_and_the_form_says_why()
    {
        var cut = RenderPage();
        Enter(cut, "refusal-months", 3);

        Save(cut);

        cut.WaitForAssertion(() => Assert.Equal("Confirm that visitors who refused are asked again sooner than CNIL recommends.",
            cut.Find("[data-testid=confirm-error]").TextContent.Trim()));
        Assert.Empty(cut.FindAll("[data-testid=settings-saved]"));
        Assert.Equal(6, (await db.Get<ConsentSettingsService>().GetAsync()).RefusalLifetimeMonths);
    }

    [Fact]
    public async Task A_confirmed_short_re_ask_interval_is_saved_by_the_signed_in_admin()
    {
        var cut = RenderPage();
        Enter(cut, "refusal-months", 3);
        cut.WaitForElement("input[type=checkbox][data-testid=confirm-short-refusal]").Change(true);

        Save(cut);

        cut.WaitForElement("[data-testid=settings-saved]");
        var stored = await db.Get<ConsentSettingsService>().GetAsync();
        Assert.Equal((6, 3, Admin), (stored.LifetimeMonths, stored.RefusalLifetimeMonths, stored.UpdatedBy));
    }

    [Fact]
    public async Task A_lifetime_over_thirteen_months_is_an_error_under_the_field_and_nothing_is_saved()
    {
        var cut = RenderPage();
        Enter(cut, "lifetime-months", 14);

        Save(cut);

        cut.WaitForAssertion(() => Assert.Contains("CNIL allows keeping a consent for at most 13 months; choose 13 or fewer.",
            cut.Find("input[data-testid=lifetime-months]").Closest(".mud-input-control")!.TextContent));
        Assert.Empty(cut.FindAll("[data-testid=settings-saved]"));
        Assert.Equal(6, (await db.Get<ConsentSettingsService>().GetAsync()).LifetimeMonths);
    }

    [Fact]
    public async Task Six_months_or_more_saves_without_a_warning()
    {
        var cut = RenderPage();
        Enter(cut, "lifetime-months", 13);
        Enter(cut, "refusal-months", 7);

        Save(cut);

        cut.WaitForElement("[data-testid=settings-saved]");
        Assert.Empty(cut.FindAll("[data-testid=settings-warning]"));
        Assert.Equal(new ConsentPeriods(13, 7), await db.Get<ConsentSettingsService>().GetPeriodsAsync());
    }
}
