using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary>
/// <c>/privacy</c> states the retention periods, the controller, the DPO and the processors from the app's configuration,
/// in English and French; the processors shipped in appsettings.json are marked as examples.
/// </summary>
public sealed class PrivacyPolicyPageTests
{
    private const string FrenchBrowser = "fr-FR,fr;q=0.9,en;q=0.8";

    private static readonly Dictionary<string, string> OwnProcessors = new()
    {
        // Two real processors over the three shipped examples: the third example is still configured, and must not be shown.
        ["Consent:Processors:0:Name"] = "Brevo",
        ["Consent:Processors:0:Purpose"] = "Sending the newsletters",
        ["Consent:Processors:0:Country"] = "FR",
        ["Consent:Processors:0:Safeguard"] = "within-eea",
        ["Consent:Processors:0:Url"] = "https://www.brevo.com/legal/privacypolicy/",
        ["Consent:Processors:0:Example"] = "false",
        ["Consent:Processors:1:Name"] = "Zendesk",
        ["Consent:Processors:1:Purpose"] = "Answering support tickets",
        ["Consent:Processors:1:Country"] = "US",
        ["Consent:Processors:1:Safeguard"] = "standard-contractual-clauses",
        ["Consent:Processors:1:Example"] = "false",
    };

    /// <summary>The page in English and in French from an app started with <paramref name="settings"/>.</summary>
    private static async Task<(IHtmlDocument English, IHtmlDocument French)> PagesAsync(Dictionary<string, string>? settings = null)
    {
        await using var app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        foreach (var (key, value) in settings ?? []) app.Settings[key] = value;
        using var client = app.CreateVisitorClient();
        var (_, english) = await client.GetPageAsync("/privacy", acceptLanguage: "en-GB");
        var (_, french) = await client.GetPageAsync("/privacy", acceptLanguage: FrenchBrowser);
        return (english, french);
    }

    private static string Text(IHtmlDocument page, string testId) =>
        Assert.IsAssignableFrom<IElement>(page.QuerySelector($"[data-testid={testId}]")).TextContent.Trim();

    private static List<List<string>> Rows(IHtmlDocument page) =>
        [.. page.QuerySelectorAll("[data-testid=processors] tbody tr").Select(row => row.Children.Select(cell => cell.TextContent.Trim()).ToList())];

    [Fact]
    public async Task The_retention_periods_are_the_configured_ones_in_English_and_French()
    {
        var (english, french) = await PagesAsync(new()
        {
            ["Consent:Members:Retention:OffersLapseYears"] = "2",
            ["Consent:Members:Retention:InactiveAccountYears"] = "1",
            ["Consent:Members:Retention:WarningDays"] = "14",
            ["Consent:RetentionYears"] = "7",
        });

        Assert.Equal("For commercial prospecting: 2 years from the date of our last contact (your last sign-in or e-mail interaction), after which your consent to our commercial offers lapses;",
            Text(english, "retention-offers"));
        Assert.Equal("For your member account: it is erased after 1 year without contact (no sign-in and no e-mail interaction); we warn you by e-mail 14 days before;",
            Text(english, "retention-account"));
        Assert.StartsWith("For the record of your cookie choices: 7 years from each choice", Text(english, "retention-consents"));
        Assert.StartsWith("pour la prospection commerciale\u00a0: 2 ans à compter de notre dernier contact", Text(french, "retention-offers"));
        Assert.StartsWith("pour votre compte de membre\u00a0: il est effacé après 1 an sans contact", Text(french, "retention-account"));
        Assert.Contains("nous vous prévenons par e-mail 14 jours avant", Text(french, "retention-account"));
        Assert.StartsWith("pour la trace de vos choix relatifs aux cookies\u00a0: 7 ans à compter de chaque choix", Text(french, "retention-consents"));
    }

    [Fact]
    public async Task The_default_periods_are_the_seed_s_and_the_newsletter_lasts_until_unsubscribe()
    {
        var (english, _) = await PagesAsync();

        var retention = english.QuerySelectorAll("[data-testid=retention] li").Select(li => li.TextContent).ToList();
        Assert.Equal("To send you our newsletters: until you unsubscribe (via the link included in the newsletters);", retention[0]);
        Assert.StartsWith("For commercial prospecting: 3 years from the date of our last contact", Text(english, "retention-offers"));
        Assert.Contains("erased after 3 years without contact", Text(english, "retention-account"));
        Assert.Contains("we warn you by e-mail 30 days before", Text(english, "retention-account"));
        Assert.StartsWith("For the record of your cookie choices: 5 years", Text(english, "retention-consents"));
    }

    [Fact]
    public async Task The_configured_processors_are_listed_with_country_and_safeguard_in_English_and_French()
    {
        var (english, french) = await PagesAsync(OwnProcessors);

        Assert.Equal([
            ["Brevo", "Sending the newsletters", "France", "Within the EU/EEA"],
            ["Zendesk", "Answering support tickets", "United States", "Standard contractual clauses"],
        ], Rows(english));
        Assert.Equal([
            ["Brevo", "Sending the newsletters", "France", "Au sein de l'UE/EEE"],
            ["Zendesk", "Answering support tickets", "États-Unis", "Clauses contractuelles types"],
        ], Rows(french));
        Assert.Equal("https://www.brevo.com/legal/privacypolicy/", english.QuerySelector("[data-testid=processors] tbody tr th a")?.GetAttribute("href"));
        Assert.Null(english.QuerySelector("[data-testid=processors-example]"));
        Assert.Null(french.QuerySelector("[data-testid=processors-example]"));
    }

    [Fact]
    public async Task The_processors_table_has_a_caption_and_column_headers()
    {
        var (english, french) = await PagesAsync(OwnProcessors);

        var table = Assert.IsAssignableFrom<IElement>(english.QuerySelector("[data-testid=processors]"));
        Assert.Equal("Third parties (processors)", table.QuerySelector("caption")?.TextContent);
        Assert.Equal(["Third party", "Purpose", "Country", "Transfer safeguard"], table.QuerySelectorAll("thead th[scope=col]").Select(th => th.TextContent));
        Assert.Equal(2, table.QuerySelectorAll("tbody th[scope=row]").Length);
        Assert.Equal(["Tiers", "Finalité", "Pays", "Garantie du transfert"], french.QuerySelectorAll("[data-testid=processors] thead th").Select(th => th.TextContent));
    }

    [Fact]
    public async Task A_safeguard_written_out_in_words_is_shown_as_written()
    {
        var (english, french) = await PagesAsync(new(OwnProcessors) { ["Consent:Processors:1:Safeguard"] = "Data Privacy Framework certification" });

        Assert.Equal("Data Privacy Framework certification", Rows(english)[1][3]);
        Assert.Equal("Data Privacy Framework certification", Rows(french)[1][3]);
    }

    [Fact]
    public async Task The_shipped_processors_are_listed_and_marked_as_an_example()
    {
        var (english, french) = await PagesAsync();

        Assert.Equal(["Example — Mailing service", "Example — Cloud host", "Example — Support desk"], Rows(english).Select(row => row[0]));
        Assert.Equal(["France", "United States", "United Kingdom"], Rows(english).Select(row => row[2]));
        Assert.Equal(["France", "États-Unis", "Royaume-Uni"], Rows(french).Select(row => row[2]));
        Assert.StartsWith("The list below is an example shipped with the consent center, not the real list", Text(english, "processors-example"));
        Assert.StartsWith("La liste ci-dessous est un exemple fourni avec le centre de consentement", Text(french, "processors-example"));
    }

    [Fact]
    public async Task The_controller_and_the_DPO_are_the_configured_ones()
    {
        var (english, french) = await PagesAsync(new()
        {
            ["Consent:Controller:Name"] = "Example Org",
            ["Consent:Controller:Address"] = "1 rue de l'Exemple, 69001 Lyon, France",
            ["Consent:Dpo:Name"] = "Camille Martin",
            ["Consent:Dpo:Email"] = "privacy@example.org",
            ["Consent:Dpo:Address"] = "DPO, BP 42, 69002 Lyon, France",
        });

        Assert.Equal("Example Org, 1 rue de l'Exemple, 69001 Lyon, France", Text(english, "controller"));
        Assert.Equal("Camille Martin, privacy@example.org", string.Join(" ", Text(english, "dpo").Split((char[])['\n', ' '], StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("By post: DPO, BP 42, 69002 Lyon, France", Text(english, "dpo-address"));
        Assert.Equal("Par courrier\u00a0: DPO, BP 42, 69002 Lyon, France", Text(french, "dpo-address"));
        // The seed's two sentences that name the DPO, and the responsible part: one address, mailto links only.
        Assert.Equal(["mailto:privacy@example.org", "mailto:privacy@example.org", "mailto:privacy@example.org"],
            english.QuerySelectorAll("main a[href^=mailto]").Select(a => a.GetAttribute("href")));
        Assert.Equal(3, french.QuerySelectorAll("main a[href='mailto:privacy@example.org']").Length);
        Assert.Contains("or by post to DPO, BP 42, 69002 Lyon, France.", english.Body!.TextContent);
        Assert.DoesNotContain("opendatasoft.com", english.Body!.TextContent);
    }

    [Fact]
    public async Task Without_a_DPO_setting_the_page_names_the_controller_s_contact_and_address()
    {
        var (english, _) = await PagesAsync(new()
        {
            ["Consent:Controller:Contact"] = "privacy@example.org",
            ["Consent:Controller:Address"] = "1 rue de l'Exemple, 69001 Lyon, France",
        });

        Assert.Equal(3, english.QuerySelectorAll("main a[href='mailto:privacy@example.org']").Length);
        Assert.Equal("By post: 1 rue de l'Exemple, 69001 Lyon, France", Text(english, "dpo-address"));
    }
}
