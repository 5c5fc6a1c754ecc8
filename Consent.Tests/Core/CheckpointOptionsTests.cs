using Consent.Core.Log.Checkpoints;
using Consent.Tests.Support;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

public class CheckpointOptionsTests
{
    [Fact]
    public void The_defaults_are_valid()
    {
        var result = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions());

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("", "Consent:Log:Origin is \"\"; it must be one word without spaces or plus signs")]
    [InlineData("consent example/log", "Consent:Log:Origin is \"consent example/log\"")]
    [InlineData("consent+example/log", "Consent:Log:Origin is \"consent+example/log\"")]
    public void An_origin_that_cannot_name_a_key_is_refused(string origin, string message)
    {
        var result = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions { Origin = origin });

        Assert.Contains(message, result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1441)]
    public void A_checkpoint_period_outside_a_minute_to_a_day_is_refused(int minutes)
    {
        var result = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions { CheckpointMinutes = minutes });

        Assert.Contains($"Consent:Log:CheckpointMinutes is {minutes}; it must be a whole number of minutes from 1 to 1440.", result.FailureMessage);
    }

    [Theory]
    [InlineData("tsa.example", "Consent:Log:Timestamp:Url is \"tsa.example\"; it must be the http(s) address")]
    [InlineData("ftp://tsa.example/", "Consent:Log:Timestamp:Url is \"ftp://tsa.example/\"")]
    public void A_timestamp_url_that_is_not_http_is_refused(string url, string message)
    {
        var result = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions { Timestamp = new() { Url = url } });

        Assert.Contains(message, result.FailureMessage);
    }

    [Fact]
    public void A_trusted_certificates_file_that_is_missing_or_holds_no_certificate_is_refused()
    {
        var empty = Path.GetTempFileName();
        var missing = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.pem");

        var none = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions { Timestamp = new() { Url = "https://tsa.example/", TrustedCertificatesPath = empty } });
        var absent = new CheckpointOptionsValidator().Validate(null, new CheckpointOptions { Timestamp = new() { Url = "https://tsa.example/", TrustedCertificatesPath = missing } });
        File.Delete(empty);

        Assert.Contains($"Consent:Log:Timestamp:TrustedCertificatesPath \"{empty}\" holds no PEM certificate.", none.FailureMessage);
        Assert.Contains($"Consent:Log:Timestamp:TrustedCertificatesPath is \"{missing}\", which is not a file", absent.FailureMessage);
    }

    [Fact]
    public async Task A_bad_log_setting_stops_the_center_at_start_naming_the_key()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => TestDatabase.CreateAsync(new() { ["Log:Origin"] = "my log" }));

        Assert.Contains("Consent:Log:Origin is \"my log\"", error.Message);
    }

    [Fact]
    public async Task The_configured_origin_names_the_first_key_and_every_checkpoint()
    {
        await using var db = await TestDatabase.CreateAsync(new() { ["Log:Origin"] = "consent.example.org/log" });

        var checkpoint = await db.Get<CheckpointService>().SignNowAsync();

        Assert.Equal("consent.example.org/log", checkpoint.KeyName);
        Assert.StartsWith("consent.example.org/log\n0\n", checkpoint.Note);
    }
}
