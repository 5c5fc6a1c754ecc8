using Consent.Core.Mail;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Mail;

public class MailOptionsTests
{
    [Fact]
    public void The_defaults_are_valid_and_send_nothing()
    {
        var options = new MailOptions();

        var result = new MailOptionsValidator().Validate(null, options);

        Assert.True(result.Succeeded);
        Assert.False(options.CanSend);
        Assert.Equal(("privacy@localhost", "Community privacy center", 587, "auto", 30), (options.From, options.FromName, options.Smtp.Port, options.Smtp.Security, options.Smtp.TimeoutSeconds));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65536)]
    public void A_port_outside_1_to_65535_is_refused(int port)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { Smtp = new() { Port = port } });

        Assert.Contains($"Consent:Mail:Smtp:Port is {port}; it must be a TCP port from 1 to 65535", result.FailureMessage);
    }

    [Theory]
    [InlineData("ssl")]
    [InlineData("")]
    public void An_unknown_security_is_refused(string security)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { Smtp = new() { Security = security } });

        Assert.Contains($"Consent:Mail:Smtp:Security is \"{security}\"; it must be one of auto, starttls, tls, none.", result.FailureMessage);
    }

    [Theory]
    [InlineData("STARTTLS")]
    [InlineData("tls")]
    [InlineData("none")]
    public void A_known_security_is_taken_whatever_its_case(string security)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { Smtp = new() { Security = security } });

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("privacy")]
    [InlineData("Privacy team <privacy@example.org>")]
    [InlineData("privacy@example.org; dpo@example.org")]
    [InlineData("")]
    public void A_from_that_is_not_one_address_is_refused(string from)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { From = from });

        Assert.Contains($"Consent:Mail:From is \"{from}\"; it must be one e-mail address", result.FailureMessage);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(301)]
    public void A_timeout_outside_1_to_300_seconds_is_refused(int seconds)
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { Smtp = new() { TimeoutSeconds = seconds } });

        Assert.Contains($"Consent:Mail:Smtp:TimeoutSeconds is {seconds}; it must be from 1 to 300.", result.FailureMessage);
    }

    [Fact]
    public void A_password_without_a_username_is_refused()
    {
        var result = new MailOptionsValidator().Validate(null, new MailOptions { Smtp = new() { Password = "secret" } });

        Assert.Contains("Consent:Mail:Smtp:Password is set without Consent:Mail:Smtp:Username.", result.FailureMessage);
        Assert.DoesNotContain("secret", result.FailureMessage);
    }

    [Fact]
    public void A_pickup_folder_that_is_a_file_is_refused()
    {
        var file = Path.GetTempFileName();

        var result = new MailOptionsValidator().Validate(null, new MailOptions { PickupDirectory = file });
        File.Delete(file);

        Assert.Contains($"Consent:Mail:PickupDirectory is \"{file}\", which is a file", result.FailureMessage);
    }

    [Fact]
    public async Task A_bad_port_stops_the_center_at_start_naming_the_key()
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Mail:Smtp:Port"] = "70000";

        var error = Assert.ThrowsAny<Exception>(() => app.Services);

        var refused = Assert.IsType<OptionsValidationException>(error.GetBaseException());
        Assert.Contains("Consent:Mail:Smtp:Port is 70000; it must be a TCP port from 1 to 65535", refused.Message);
    }

    [Fact]
    public async Task A_relative_pickup_folder_is_beside_the_app()
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Mail:PickupDirectory"] = "mail-pickup";

        var options = app.Services.GetRequiredService<IOptions<MailOptions>>().Value;

        var contentRoot = app.Services.GetRequiredService<IWebHostEnvironment>().ContentRootPath;
        Assert.Equal(Path.Combine(contentRoot, "mail-pickup"), options.PickupDirectory);
    }
}
