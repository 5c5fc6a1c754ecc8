using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Consent.Core.ConsentMode;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class ServerGatingTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ServerGatingTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ServerGatingTests(TestEngine.Postgres);

    /// <summary>A page as a browser with the given request headers (a privacy signal, a consent cookie) receives it.</summary>
    private async Task<(HttpResponseMessage Response, IHtmlDocument Page)> GetAsync(string path, string? consentCookie = null, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (consentCookie is not null) request.Headers.Add("Cookie", $"{ConsentCookie.Name}={consentCookie}");
        foreach (var (name, value) in headers) request.Headers.Add(name, value);
        var response = await client.SendAsync(request);
        return (response, new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>A placeholder's "Allow" as the page renders it: the decision's grants (<paramref name="alsoGranted"/>) and its category.</summary>
    private static KeyValuePair<string, string>[] PlaceholderForm(string category, string returnUrl = "/", params string[] alsoGranted) =>
        [new("method", "custom"), .. alsoGranted.Append(category).Select(g => new KeyValuePair<string, string>("granted", g)),
            new("source", "placeholder"), new("policyVersion", "1"), new("returnUrl", returnUrl)];

    /// <summary>The consent-mode calls of the page's inline script, as (command, {type: state}) in order.</summary>
    private static List<(string Command, Dictionary<string, JsonElement> State)> GtagConsentCalls(IHtmlDocument page) =>
        page.Scripts.SelectMany(s => s.Text.Split("gtag('consent','").Skip(1))
            .Select(call => (Command: call[..call.IndexOf('\'')], Json: call[(call.IndexOf('{'))..(call.LastIndexOf('}') + 1)]))
            .Select(c => (c.Command, JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(c.Json)!))
            .ToList();

    private static List<string> GrantedTypes(Dictionary<string, JsonElement> state) =>
        state.Where(p => p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() == "granted").Select(p => p.Key).Order().ToList();

    [Theory]
    [InlineData("Sec-GPC")]
    [InlineData("DNT")]
    public async Task A_privacy_signal_without_a_decision_gets_no_banner_no_cookie_and_no_record(string header)
    {
        var counter = app.Services.GetRequiredService<BannerViewCounter>();
        var before = counter.Pending;

        var (response, page) = await GetAsync("/", null, (header, "1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(page.QuerySelector("#cc-banner"));
        Assert.Empty(response.SetCookieNames());
        Assert.Empty(await StoredRecordsAsync());
        Assert.Equal(before, counter.Pending);
    }

    [Fact]
    public async Task The_same_page_without_a_signal_shows_the_banner_and_counts_it()
    {
        var counter = app.Services.GetRequiredService<BannerViewCounter>();
        var before = counter.Pending;

        var (_, page) = await GetAsync("/", null, ("Sec-GPC", "0"));

        Assert.NotNull(page.QuerySelector("#cc-banner"));
        Assert.Equal(before + 1, counter.Pending);
    }

    [Theory]
    [InlineData("Sec-GPC", "Global Privacy Control")]
    [InlineData("DNT", "Do Not Track")]
    public async Task The_preference_center_says_which_signal_was_honoured_with_every_optional_switch_off(string header, string name)
    {
        var (_, page) = await GetAsync("/preferences", null, (header, "1"));

        Assert.Contains($"Your browser sent the {name} signal", page.QuerySelector("[data-testid=privacy-signal]")!.TextContent);
        Assert.Null(page.QuerySelector("#cc-banner"));
        Assert.False(page.QuerySelector("[data-testid=preference-analytics] input[type=checkbox]")!.HasAttribute("checked"));
        Assert.False(page.QuerySelector("[data-testid=preference-social-media] input[type=checkbox]")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task A_choice_made_under_a_signal_is_recorded_with_its_method_and_then_wins_over_the_signal()
    {
        using var post = new HttpRequestMessage(HttpMethod.Post, "/consent")
        {
            Content = new FormUrlEncodedContent([new("method", "custom"), new("source", "preference-center"), new("policyVersion", "1"),
                new("returnUrl", "/preferences"), new("granted", "analytics")]),
        };
        post.Headers.Add("Sec-Fetch-Site", "same-origin");
        post.Headers.Add("Sec-GPC", "1");

        var response = await client.SendAsync(post);

        Assert.Equal(HttpStatusCode.SeeOther, response.StatusCode);
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal((ConsentMethod.Custom, ConsentSource.PreferenceCenter), (record.Method, record.Source));
        var (_, page) = await GetAsync("/preferences", response.ConsentCookieValue(), ("Sec-GPC", "1"));
        Assert.Null(page.QuerySelector("[data-testid=privacy-signal]"));
        Assert.Contains(record.Id.ToString("D"), page.QuerySelector("[data-testid=current-decision]")!.TextContent);
        Assert.True(page.QuerySelector("[data-testid=preference-analytics] input[type=checkbox]")!.HasAttribute("checked"));
    }

    [Fact]
    public async Task The_gpc_support_resource_says_the_site_honours_gpc()
    {
        var response = await client.GetAsync("/.well-known/gpc.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.GetProperty("gpc").GetBoolean());
        Assert.Equal("2026-11-29", json.RootElement.GetProperty("lastUpdate").GetString());
        Assert.Empty(response.SetCookieNames());
    }

    [Fact]
    public async Task Without_consent_the_home_page_holds_a_placeholder_and_nothing_of_the_video()
    {
        var (_, page) = await GetAsync("/", null, ("Sec-GPC", "1"));

        Assert.Null(page.QuerySelector("iframe"));
        Assert.DoesNotContain("/embed/video", page.DocumentElement.OuterHtml);
        var gate = page.QuerySelector("[data-testid=consent-gate]")!;
        Assert.Contains("the community video", gate.TextContent);
        Assert.Contains("Social media + embedded videos", gate.TextContent);
        var form = gate.QuerySelector("form")!;
        Assert.Equal(("post", "/consent"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.Equal("Allow Social media + embedded videos", form.QuerySelector("button[type=submit]")!.TextContent.Trim());
    }

    [Fact]
    public async Task Allow_on_a_placeholder_grants_that_category_on_top_of_the_current_choice()
    {
        var first = await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"));
        var (_, withGate) = await GetAsync("/", first.ConsentCookieValue());
        var gateForm = withGate.QuerySelector("[data-testid=consent-gate] form")!.QuerySelectorAll("input")
            .Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value")!)).ToArray();

        var allow = await client.PostChoiceAsync(gateForm, first.ConsentCookieValue());

        Assert.Equal(HttpStatusCode.SeeOther, allow.StatusCode);
        Assert.Equal("/?cc=saved#cc-saved", allow.Headers.Location!.OriginalString);
        var record = (await StoredRecordsAsync()).Single(r => r.Source == ConsentSource.Placeholder);
        Assert.Equal(ConsentMethod.Custom, record.Method);
        Assert.Equal(["analytics", "functional", "social-media"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
        var (_, page) = await GetAsync("/?cc=saved", allow.ConsentCookieValue());
        Assert.Equal("/embed/video", page.QuerySelector("iframe")!.GetAttribute("src"));
        Assert.Null(page.QuerySelector("[data-testid=consent-gate]"));
    }

    [Fact]
    public async Task Allow_without_an_earlier_choice_grants_only_that_category_and_ends_the_banner()
    {
        var allow = await client.PostChoiceAsync(PlaceholderForm("social-media"));

        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal(["functional", "social-media"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
        var (_, page) = await GetAsync("/", allow.ConsentCookieValue());
        Assert.Null(page.QuerySelector("#cc-banner"));
    }

    [Theory]
    [InlineData("", "granted must list category keys of 1 to 64 characters, such as \"analytics\".")]
    [InlineData("tracking", "There is no category \"tracking\"; the categories are functional, analytics, social-media.")]
    public async Task Allow_without_a_known_category_is_refused_under_the_granted_field_and_stores_nothing(string category, string message)
    {
        var response = await client.PostChoiceAsync(PlaceholderForm(category));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, json.RootElement.GetProperty("errors").GetProperty("granted")[0].GetString());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task The_demo_video_is_a_local_page_that_sets_no_cookie()
    {
        var response = await client.GetAsync("/embed/video");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("Community video", await response.Content.ReadAsStringAsync());
        Assert.Empty(response.SetCookieNames());
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/preferences")]
    public async Task The_consent_mode_defaults_come_before_any_other_script(string path)
    {
        var (_, page) = await GetAsync(path);

        var first = page.QuerySelectorAll("script").First();
        Assert.Same(page.Head, first.ParentElement);
        Assert.False(first.HasAttribute("src"));
        var calls = GtagConsentCalls(page);
        var (command, state) = Assert.Single(calls);
        Assert.Equal("default", command);
        Assert.Equal(["security_storage"], GrantedTypes(state));
        Assert.Equal(500, state["wait_for_update"].GetInt32());
    }

    [Fact]
    public async Task After_a_decision_the_page_updates_google_consent_from_the_granted_categories()
    {
        var post = await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"));

        var (_, page) = await GetAsync("/?cc=saved", post.ConsentCookieValue());

        var calls = GtagConsentCalls(page);
        Assert.Equal(["default", "update"], calls.Select(c => c.Command));
        Assert.Equal(["analytics_storage", "functionality_storage", "security_storage"], GrantedTypes(calls[1].State));
    }

    [Fact]
    public async Task A_withdrawal_updates_google_consent_back_to_denied()
    {
        var accept = await client.PostChoiceAsync(BannerForm("accept-all"));
        var withdraw = await client.PostChoiceAsync(
            [new("method", "withdrawal"), new("source", "preference-center"), new("policyVersion", "1"), new("returnUrl", "/preferences")],
            accept.ConsentCookieValue());

        var (_, page) = await GetAsync("/preferences?cc=saved", withdraw.ConsentCookieValue());

        Assert.Equal(["functionality_storage", "security_storage"], GrantedTypes(GtagConsentCalls(page)[1].State));
    }

    [Fact]
    public async Task An_honoured_signal_updates_google_consent_to_the_required_categories_only()
    {
        var (_, page) = await GetAsync("/", null, ("Sec-GPC", "1"));

        var calls = GtagConsentCalls(page);
        Assert.Equal(["default", "update"], calls.Select(c => c.Command));
        Assert.Equal(["functionality_storage", "security_storage"], GrantedTypes(calls[1].State));
    }

    [Fact]
    public async Task Mode_off_emits_no_consent_mode_script()
    {
        await app.Services.GetRequiredService<GoogleConsentModeService>()
            .SaveModeAsync(new GoogleConsentModeInput { Mode = GoogleConsentMode.Off }, ConsentAppFactory.AdminEmail);
        var post = await client.PostChoiceAsync(BannerForm("accept-all"));

        var (_, page) = await GetAsync("/", post.ConsentCookieValue());

        Assert.Empty(page.Scripts);
        Assert.DoesNotContain("gtag", page.DocumentElement.OuterHtml);
    }
}
