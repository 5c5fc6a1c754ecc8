using Consent.Core.PrivacyPolicy;
using Consent.Tests.Support;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Core;

public class PrivacyPolicyOptionsTests
{
    private static Processor Valid() => new() { Name = "Brevo", Purpose = "Sending the newsletters", Country = "FR", Safeguard = TransferSafeguards.WithinEea };

    private static PrivacyPolicyOptions With(Processor processor) =>
        new() { Dpo = new() { Email = "dpo@example.org", Address = "1 rue de l'Exemple, Lyon" }, Processors = [Valid(), processor] };

    private static string? Failure(PrivacyPolicyOptions options) => new PrivacyPolicyOptionsValidator().Validate(null, options).FailureMessage;

    [Fact]
    public void A_DPO_and_processors_as_configured_are_valid()
    {
        var result = new PrivacyPolicyOptionsValidator().Validate(null, With(Valid()));

        Assert.True(result.Succeeded);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void A_processor_without_a_name_is_refused(string name)
    {
        var processor = Valid();
        processor.Name = name;

        Assert.Contains($"Consent:Processors:1:Name is \"{name}\"; it must be the processor's name", Failure(With(processor)));
    }

    [Fact]
    public void A_processor_without_a_purpose_is_refused()
    {
        var processor = Valid();
        processor.Purpose = "";

        Assert.Contains("Consent:Processors:1:Purpose is \"\"; it must be what the processor does with the data", Failure(With(processor)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("fr")]
    [InlineData("FRA")]
    [InlineData("ZZ")]
    public void A_country_that_is_not_two_capital_letters_of_a_country_is_refused(string country)
    {
        var processor = Valid();
        processor.Country = country;

        Assert.Contains($"Consent:Processors:1:Country is \"{country}\"; it must be a country's two capital letters (ISO 3166-1)", Failure(With(processor)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("standard-contractual-clause")]
    public void A_missing_or_misspelt_safeguard_is_refused(string safeguard)
    {
        var processor = Valid();
        processor.Safeguard = safeguard;

        Assert.Contains($"Consent:Processors:1:Safeguard is \"{safeguard}\"; it must be one of within-eea, adequacy-decision, standard-contractual-clauses, binding-corporate-rules, or the safeguard written out in words.",
            Failure(With(processor)));
    }

    [Fact]
    public void A_safeguard_written_out_in_words_is_accepted()
    {
        var processor = Valid();
        processor.Safeguard = "Data Privacy Framework certification";

        Assert.True(new PrivacyPolicyOptionsValidator().Validate(null, With(processor)).Succeeded);
    }

    [Fact]
    public void A_url_that_is_not_http_is_refused()
    {
        var processor = Valid();
        processor.Url = "javascript:alert(1)";

        Assert.Contains("Consent:Processors:1:Url is \"javascript:alert(1)\"; it must be an absolute http(s) address", Failure(With(processor)));
    }

    [Fact]
    public void An_entry_marked_example_whose_name_does_not_say_so_is_refused()
    {
        var processor = Valid();
        processor.Example = true;

        Assert.Contains("Consent:Processors:1:Example is true but its name \"Brevo\" does not begin with \"Example\"; set Consent:Processors:1:Example to false", Failure(With(processor)));
    }

    [Theory]
    [InlineData("privacy.example.org")]
    [InlineData("https://example.org/contact")]
    [InlineData("DPO <dpo@example.org>")]
    public void A_DPO_e_mail_that_is_not_an_address_is_refused(string email)
    {
        var options = With(Valid());
        options.Dpo.Email = email;

        Assert.Contains($"Consent:Dpo:Email is \"{email}\"; it must be the Data Protection Officer's e-mail address", Failure(options));
    }

    [Fact]
    public void Once_one_processor_is_real_the_examples_are_not_shown()
    {
        var example = new Processor { Name = "Example — Cloud host", Purpose = "Hosting", Country = "US", Safeguard = TransferSafeguards.StandardContractualClauses, Example = true };
        var options = new PrivacyPolicyOptions { Processors = [example, Valid()] };

        Assert.Equal(["Brevo"], options.ShownProcessors.Select(p => p.Name));
        Assert.False(options.ShowsExamples);
        Assert.True(new PrivacyPolicyOptions { Processors = [example] }.ShowsExamples);
    }

    [Fact]
    public async Task Unset_the_DPO_is_the_controller_s_contact_and_address()
    {
        await using var center = await TestDatabase.CreateAsync(new() { ["Controller:Contact"] = "privacy@example.org", ["Controller:Address"] = "1 rue de l'Exemple, Lyon" });

        var dpo = center.Get<IOptions<PrivacyPolicyOptions>>().Value.Dpo;

        Assert.Equal(("privacy@example.org", "1 rue de l'Exemple, Lyon"), (dpo.Email, dpo.Address));
    }

    [Fact]
    public async Task A_controller_contact_that_is_a_web_address_needs_a_DPO_e_mail_to_start()
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Controller:Contact"] = "https://example.org/contact";

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Consent:Dpo:Email is \"https://example.org/contact\"; it must be the Data Protection Officer's e-mail address", error.Message);
    }

    [Fact]
    public async Task A_bad_processor_in_configuration_stops_the_center_with_the_key_named()
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        app.Settings["Consent:Processors:0:Country"] = "France";

        var error = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("Consent:Processors:0:Country is \"France\"; it must be a country's two capital letters", error.Message);
    }
}
