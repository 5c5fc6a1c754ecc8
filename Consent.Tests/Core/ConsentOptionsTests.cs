using Consent.Tests.Support;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

public class ConsentOptionsTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("14")]
    public async Task A_consent_lifetime_outside_1_to_13_months_stops_the_center_with_a_clear_message(string months)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { ["LifetimeMonths"] = months }));

        Assert.Contains($"Consent:LifetimeMonths is {months}; it must be a whole number of months from 1 to 13", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("14")]
    public async Task A_re_ask_interval_outside_1_to_13_months_stops_the_center_with_a_clear_message(string months)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { ["RefusalLifetimeMonths"] = months }));

        Assert.Contains($"Consent:RefusalLifetimeMonths is {months}; it must be a whole number of months from 1 to 13", error.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("101")]
    public async Task A_retention_outside_1_to_100_years_stops_the_center_with_a_clear_message(string years)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { ["RetentionYears"] = years }));

        Assert.Contains($"Consent:RetentionYears is {years}; it must be a whole number of years from 1 to 100", error.Message);
    }

    [Theory]
    [InlineData("consent.example.org")]
    [InlineData("ftp://consent.example.org")]
    [InlineData("https://consent.example.org/members")]
    public async Task A_public_url_that_is_not_an_http_address_without_a_path_stops_the_center_with_a_clear_message(string url)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { ["PublicUrl"] = url }));

        Assert.Contains($"Consent:PublicUrl is \"{url}\"; it must be the center's public address", error.Message);
    }

    [Fact]
    public async Task A_public_url_with_a_port_is_accepted()
    {
        await using var db = await TestDatabase.CreateAsync(new() { ["PublicUrl"] = "https://consent.example.org:8443" });

        Assert.Equal("https://consent.example.org:8443", db.Get<IOptions<Consent.Core.Policies.ConsentOptions>>().Value.PublicUrl);
    }
}
