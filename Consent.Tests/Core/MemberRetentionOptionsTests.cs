using Consent.Core.Members;
using Consent.Tests.Support;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

public class MemberRetentionOptionsTests
{
    private static string? Failure(MemberRetentionOptions options) =>
        new MemberRetentionOptionsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void The_defaults_are_the_seed_s_and_valid()
    {
        var options = new MemberRetentionOptions();

        var result = new MemberRetentionOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded);
        Assert.Equal((3, 3, 30, true, 24), (options.OffersLapseYears, options.InactiveAccountYears, options.WarningDays, options.Enabled, options.RunEveryHours));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void An_offers_lapse_outside_1_to_20_years_is_refused(int years)
    {
        var failure = Failure(new() { OffersLapseYears = years });

        Assert.Contains($"Consent:Members:Retention:OffersLapseYears is {years}; it must be a whole number of years from 1 to 20", failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(21)]
    public void An_inactivity_period_outside_1_to_20_years_is_refused(int years)
    {
        var failure = Failure(new() { InactiveAccountYears = years });

        Assert.Contains($"Consent:Members:Retention:InactiveAccountYears is {years}; it must be a whole number of years from 1 to 20", failure);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(366)]
    public void A_warning_outside_1_to_365_days_is_refused(int days)
    {
        var failure = Failure(new() { WarningDays = days, InactiveAccountYears = 3 });

        Assert.Contains($"Consent:Members:Retention:WarningDays is {days}; it must be a whole number of days from 1 to 365", failure);
    }

    [Fact]
    public void A_warning_as_long_as_the_inactivity_period_is_refused()
    {
        var failure = Failure(new() { WarningDays = 365, InactiveAccountYears = 1 });

        Assert.Contains("Consent:Members:Retention:WarningDays is 365; it must be fewer days than Consent:Members:Retention:InactiveAccountYears (1 years)", failure);
    }

    [Fact]
    public void A_warning_a_day_short_of_the_inactivity_period_is_accepted()
    {
        var result = new MemberRetentionOptionsValidator().Validate(null, new() { WarningDays = 364, InactiveAccountYears = 1 });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(169)]
    public void A_run_interval_outside_1_to_168_hours_is_refused(int hours)
    {
        var failure = Failure(new() { RunEveryHours = hours });

        Assert.Contains($"Consent:Members:Retention:RunEveryHours is {hours}; it must be a whole number of hours from 1 to 168.", failure);
    }

    [Fact]
    public async Task A_bad_period_in_configuration_stops_the_center_with_the_key_named()
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Members:Retention:OffersLapseYears"] = "0";

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Consent:Members:Retention:OffersLapseYears is 0", error.Message);
    }

    [Fact]
    public async Task The_configured_periods_are_what_the_center_reads()
    {
        await using var center = await TestDatabase.CreateAsync(new() { ["Members:Retention:OffersLapseYears"] = "2", ["Members:Retention:Enabled"] = "false" });

        var options = center.Get<IOptions<MemberRetentionOptions>>().Value;

        Assert.Equal((2, false), (options.OffersLapseYears, options.Enabled));
    }
}
