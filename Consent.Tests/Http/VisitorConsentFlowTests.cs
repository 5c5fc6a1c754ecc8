using System.Net;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class VisitorConsentFlowTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : VisitorConsentFlowTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : VisitorConsentFlowTests(TestEngine.Postgres);

    private async Task<HashSet<string>> CatalogueCookieNamesAsync() =>
        (await app.Services.GetRequiredService<CatalogueService>().GetCategoriesAsync())
            .SelectMany(c => c.Cookies).Select(c => c.Name).ToHashSet();

    [Theory]
    [InlineData("/")]
    [InlineData("/privacy")]
    [InlineData("/cookies")]
    [InlineData("/preferences")]
    public async Task A_first_visit_shows_the_banner_in_the_first_response_and_sets_no_cookie(string path)
    {
        var (response, page) = await client.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var banner = page.QuerySelector("section#cc-banner");
        Assert.NotNull(banner);
        Assert.Contains("cookies", page.GetElementById(banner.GetAttribute("aria-labelledby")!)!.TextContent);
        Assert.Empty(response.SetCookieNames());
    }

    [Fact]
    public async Task The_banner_names_the_purposes_links_the_cookie_list_and_offers_three_buttons()
    {
        var (_, page) = await client.GetPageAsync("/");

        var banner = page.QuerySelector("#cc-banner")!;
        Assert.Contains("Analytics", banner.TextContent);
        Assert.Contains("Social media + embedded videos", banner.TextContent);
        Assert.NotNull(banner.QuerySelector("a[href='/cookies']"));
        var buttons = banner.QuerySelectorAll("button").Select(b => (b.TextContent.Trim(), b.GetAttribute("class"))).ToList();
        Assert.Equal([("Accept all", "cc-button"), ("Reject all", "cc-button"), ("Customize", "cc-button")], buttons);
        Assert.Equal("/consent", banner.QuerySelector("form")!.GetAttribute("action"));
        Assert.Equal("post", banner.QuerySelector("form")!.GetAttribute("method"));
    }

    [Fact]
    public async Task A_visitor_page_loads_no_script_and_holds_no_circuit()
    {
        var (_, page) = await client.GetPageAsync("/");

        // The only script is Google Consent Mode's inline defaults (mode basic, the default): nothing loaded, no framework.
        var script = Assert.Single(page.Scripts);
        Assert.False(script.HasAttribute("src"));
        Assert.StartsWith("window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}gtag('consent','default',", script.Text);
        Assert.DoesNotContain("_blazor", page.DocumentElement.OuterHtml);
    }

    [Fact]
    public async Task With_google_consent_mode_off_a_visitor_page_has_no_script_at_all()
    {
        await app.Services.GetRequiredService<Consent.Core.ConsentMode.GoogleConsentModeService>().SaveModeAsync(
            new Consent.Core.ConsentMode.GoogleConsentModeInput { Mode = Consent.Core.ConsentMode.GoogleConsentMode.Off }, ConsentAppFactory.AdminEmail);

        var (_, page) = await client.GetPageAsync("/");

        Assert.Empty(page.Scripts);
    }

    [Fact]
    public async Task Reject_all_sets_the_cookie_stores_a_record_and_the_next_page_has_no_banner()
    {
        var post = await client.PostChoiceAsync(BannerForm("reject-all", returnUrl: "/privacy"));

        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal("/privacy?cc=saved#cc-saved", post.Headers.Location!.OriginalString);
        var setCookie = post.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("samesite=lax", setCookie);
        Assert.Contains("httponly", setCookie);
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal((ConsentMethod.RejectAll, ConsentSource.Banner, 1, "en", "Chrome"),
            (record.Method, record.Source, record.PolicyVersion, record.Language, record.BrowserFamily));

        var (_, next) = await client.GetPageAsync("/privacy?cc=saved", post.ConsentCookieValue());

        Assert.Null(next.QuerySelector("#cc-banner"));
        Assert.Contains("Your cookie choices are saved", next.QuerySelector("[role=status]")!.TextContent);
    }

    [Fact]
    public async Task Every_cookie_the_center_sets_is_declared_in_its_catalogue()
    {
        var declared = await CatalogueCookieNamesAsync();
        var first = await client.PostChoiceAsync(BannerForm("accept-all"));
        var (preferences, _) = await client.GetPageAsync("/preferences", first.ConsentCookieValue());

        var set = first.SetCookieNames().Concat(preferences.SetCookieNames()).ToList();

        Assert.Contains(ConsentCookie.Name, set);
        Assert.All(set, name => Assert.Contains(name, declared));
    }

    [Fact]
    public async Task Customize_shows_every_category_with_nothing_optional_ticked_and_the_required_one_locked()
    {
        var post = await client.PostChoiceAsync(BannerForm("customize", returnUrl: "/cookies"));
        Assert.Equal("/cookies?cc=customize#cc-customize", post.Headers.Location!.OriginalString);
        Assert.Empty(await StoredRecordsAsync());

        var (_, page) = await client.GetPageAsync("/cookies?cc=customize");

        var boxes = page.QuerySelectorAll("#cc-customize input[type=checkbox]").ToList();
        Assert.Equal(3, boxes.Count);
        Assert.True(boxes[0].HasAttribute("checked") && boxes[0].HasAttribute("disabled"));
        Assert.All(boxes.Skip(1), b => Assert.False(b.HasAttribute("checked")));
        Assert.Contains("Save choices", page.QuerySelector("#cc-customize button")!.TextContent);
    }

    [Fact]
    public async Task Save_choices_records_exactly_the_ticked_categories()
    {
        var post = await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"));

        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal(ConsentMethod.Custom, record.Method);
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
    }

    [Fact]
    public async Task Reject_all_posts_a_form_without_the_boxes_of_the_open_customize_layer()
    {
        var (_, page) = await client.GetPageAsync("/?cc=customize");
        var reject = page.QuerySelectorAll("#cc-banner button").Single(b => b.TextContent.Trim() == "Reject all");
        var form = page.QuerySelector($"form#{reject.GetAttribute("form")}")!;
        Assert.Empty(form.QuerySelectorAll("input[name=granted]"));

        await client.PostChoiceAsync([.. form.QuerySelectorAll("input").Select(i => new KeyValuePair<string, string>(i.GetAttribute("name")!, i.GetAttribute("value")!)),
            new(reject.GetAttribute("name")!, reject.GetAttribute("value")!)]);

        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal(["functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey));
    }

    [Fact]
    public async Task A_tampered_cookie_brings_the_banner_back_without_an_error()
    {
        var post = await client.PostChoiceAsync(BannerForm("reject-all"));
        var tampered = post.ConsentCookieValue().Replace(".functional.", ".functional~analytics~social-media.");

        var (response, page) = await client.GetPageAsync("/", tampered);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("#cc-banner"));
    }

    [Fact]
    public async Task A_decision_past_the_consent_lifetime_brings_the_banner_back()
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all"));

        app.Time.Advance(TimeSpan.FromDays(184));
        var (_, page) = await client.GetPageAsync("/", post.ConsentCookieValue());

        Assert.NotNull(page.QuerySelector("#cc-banner"));
    }

    [Fact]
    public async Task A_decision_answering_an_older_policy_brings_the_banner_back_saying_so()
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all"));
        await PublishPolicyVersion2Async();

        var (_, page) = await client.GetPageAsync("/", post.ConsentCookieValue());

        Assert.Contains("has changed since your last choice", page.QuerySelector("#cc-banner")!.TextContent);
        Assert.Equal("2", page.QuerySelector("#cc-banner input[name=policyVersion]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_choice_posted_against_a_superseded_policy_is_not_stored_and_the_page_asks_again()
    {
        await PublishPolicyVersion2Async();

        var post = await client.PostChoiceAsync(BannerForm("accept-all", policyVersion: 1, returnUrl: "/cookies"));

        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal("/cookies", post.Headers.Location!.OriginalString);
        Assert.Empty(post.SetCookieNames());
        Assert.Empty(await StoredRecordsAsync());
    }

    public static TheoryData<string, KeyValuePair<string, string>[], string> BadSubmissions => new()
    {
        { "unknown category", BannerForm("custom", granted: "advertising"), "granted" },
        { "unknown method", BannerForm("maybe"), "method" },
        { "no method", [new("source", "banner"), new("policyVersion", "1")], "method" },
        { "unknown source", [new("method", "accept-all"), new("source", "popup"), new("policyVersion", "1")], "source" },
        { "policy version not a number", BannerForm("accept-all").Select(f => f.Key == "policyVersion" ? new KeyValuePair<string, string>(f.Key, "one") : f).ToArray(), "policyVersion" },
        { "policy version with a sign", BannerForm("accept-all").Select(f => f.Key == "policyVersion" ? new KeyValuePair<string, string>(f.Key, "+1") : f).ToArray(), "policyVersion" },
        { "reject all granting a category", BannerForm("reject-all", granted: "analytics"), "granted" },
        { "the API's old C# name", BannerForm("AcceptAll"), "method" },
    };

    [Theory]
    [MemberData(nameof(BadSubmissions))]
    public async Task A_bad_submission_gets_a_400_problem_naming_the_field_and_stores_nothing(string _, KeyValuePair<string, string>[] form, string field)
    {
        var post = await client.PostChoiceAsync(form);

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType!.MediaType);
        var problem = System.Text.Json.JsonDocument.Parse(await post.Content.ReadAsStringAsync()).RootElement;
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages));
        Assert.NotEmpty(messages.EnumerateArray().First().GetString()!);
        Assert.Empty(post.SetCookieNames());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    public async Task A_choice_posted_from_another_site_is_refused(string secFetchSite)
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all"), secFetchSite: secFetchSite);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_choice_posted_with_a_foreign_origin_is_refused()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(BannerForm("accept-all")) };
        request.Headers.Add("Origin", "https://evil.example");

        var post = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Empty(await StoredRecordsAsync());
    }

    [Theory]
    [InlineData("http://localhost", HttpStatusCode.SeeOther)]
    [InlineData("https://localhost", HttpStatusCode.Forbidden)]
    [InlineData("http://localhost.evil.example", HttpStatusCode.Forbidden)]
    [InlineData("null", HttpStatusCode.Forbidden)]
    public async Task Without_Sec_Fetch_Site_the_origin_must_be_this_site(string origin, HttpStatusCode expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(BannerForm("accept-all")) };
        request.Headers.Add("Origin", origin);

        var post = await client.SendAsync(request);

        Assert.Equal(expected, post.StatusCode);
    }

    [Fact]
    public async Task On_https_the_consent_cookie_is_secure_and_expires_with_the_decision()
    {
        using var https = app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost") });

        var post = await https.PostChoiceAsync(BannerForm("accept-all"));

        var setCookie = post.Headers.GetValues("Set-Cookie").Single();
        Assert.Contains("secure", setCookie);
        Assert.Contains("expires=Sat, 29 May 2027 10:00:00 GMT", setCookie);
    }

    [Fact]
    public async Task Behind_a_proxy_that_ended_TLS_the_consent_cookie_is_still_secure()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(BannerForm("accept-all")) };
        request.Headers.Add("X-Forwarded-Proto", "https");

        var post = await client.SendAsync(request);

        Assert.Contains("secure", post.Headers.GetValues("Set-Cookie").Single());
    }

    [Fact]
    public async Task A_choice_naming_an_unpublished_policy_version_is_a_400()
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all", policyVersion: 5));

        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        Assert.Contains("has not been published", await post.Content.ReadAsStringAsync());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Theory]
    [InlineData("https://evil.example/", "/?cc=saved#cc-saved")]
    [InlineData("//evil.example", "/?cc=saved#cc-saved")]
    [InlineData("/\\evil.example", "/?cc=saved#cc-saved")]
    [InlineData("/cookies?cc=customize&x=1", "/cookies?x=1&cc=saved#cc-saved")]
    public async Task The_redirect_after_a_choice_stays_on_this_site(string returnUrl, string expected)
    {
        var post = await client.PostChoiceAsync(BannerForm("reject-all", returnUrl: returnUrl));

        Assert.Equal(expected, post.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task The_cookie_policy_lists_every_catalogue_cookie_in_a_table_per_category()
    {
        var (_, page) = await client.GetPageAsync("/cookies");

        var analytics = page.QuerySelector("[data-testid=category-analytics]")!;
        Assert.Equal(["Supplier name", "Cookie name", "Duration", "Function"], analytics.QuerySelectorAll("th").Select(th => th.TextContent));
        var row = analytics.QuerySelectorAll("tbody td").Select(td => td.TextContent).ToList();
        Assert.Equal(["Gainsight", "_gid (Google Analytics)", "24 hours"], row.Take(3));
        var functional = page.QuerySelector("[data-testid=category-functional]")!.TextContent;
        Assert.Contains(ConsentCookie.Name, functional);
        Assert.Contains("30 Minutes", functional);
        Assert.NotNull(page.QuerySelector("a[href='/preferences']"));
    }

    [Fact]
    public async Task The_privacy_policy_is_structured_with_headings()
    {
        var (_, page) = await client.GetPageAsync("/privacy");

        Assert.Equal("Privacy Policy", page.QuerySelector("h1")!.TextContent);
        Assert.Equal(["I. Who are we?", "II. What is Opendatasoft's commitment to privacy?", "III. Does Opendatasoft process personal information?"],
            page.QuerySelectorAll("main h2").Select(h => h.TextContent));
        Assert.Contains("dpo@opendatasoft.com", page.Body!.TextContent);
    }

    [Fact]
    public async Task Every_visitor_page_links_to_cookie_settings_in_its_footer()
    {
        foreach (var path in new[] { "/", "/privacy", "/cookies", "/preferences" })
        {
            var (_, page) = await client.GetPageAsync(path);

            Assert.Equal("Cookie settings", page.QuerySelector("footer a[href='/preferences']")?.TextContent);
        }
    }

    [Fact]
    public async Task The_preference_center_shows_the_decision_and_saves_a_change_as_a_new_record()
    {
        var first = await client.PostChoiceAsync(BannerForm("reject-all"));
        var (_, before) = await client.GetPageAsync("/preferences", first.ConsentCookieValue());
        Assert.False(before.QuerySelector("input[name=granted][value=analytics]")!.HasAttribute("checked"));
        app.Time.Advance(TimeSpan.FromMinutes(1));

        var change = await client.PostChoiceAsync(
            [new("method", "custom"), new("source", "preference-center"), new("policyVersion", "1"), new("returnUrl", "/preferences"), new("granted", "analytics")],
            first.ConsentCookieValue());
        var (_, after) = await client.GetPageAsync("/preferences", change.ConsentCookieValue());

        Assert.True(after.QuerySelector("input[name=granted][value=analytics]")!.HasAttribute("checked"));
        Assert.False(after.QuerySelector("input[name=granted][value=social-media]")!.HasAttribute("checked"));
        var records = (await StoredRecordsAsync()).OrderBy(r => r.RecordedAt).ToList();
        Assert.Equal([ConsentMethod.RejectAll, ConsentMethod.Custom], records.Select(r => r.Method));
        Assert.Equal(ConsentSource.PreferenceCenter, records[1].Source);
        Assert.Single(records.Select(r => r.VisitorId).Distinct());
    }

    [Fact]
    public async Task Withdrawing_in_the_preference_center_appends_a_withdrawal()
    {
        var first = await client.PostChoiceAsync(BannerForm("accept-all"));
        var (_, page) = await client.GetPageAsync("/preferences", first.ConsentCookieValue());
        Assert.NotNull(page.QuerySelector("button[name=method][value=withdrawal]"));
        app.Time.Advance(TimeSpan.FromMinutes(1));

        var withdraw = await client.PostChoiceAsync(
            [new("method", "withdrawal"), new("source", "preference-center"), new("policyVersion", "1"), new("returnUrl", "/preferences")],
            first.ConsentCookieValue());

        Assert.Equal("/preferences?cc=saved#cc-saved", withdraw.Headers.Location!.OriginalString);
        var last = (await StoredRecordsAsync()).OrderBy(r => r.RecordedAt).Last();
        Assert.Equal(ConsentMethod.Withdrawal, last.Method);
        Assert.Equal(["functional"], last.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey));
    }

    [Fact]
    public async Task A_form_larger_than_a_choice_is_refused_with_413_and_stores_nothing()
    {
        var post = await client.PostChoiceAsync([.. BannerForm("accept-all"), new("granted", new string('a', 5000))]);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, post.StatusCode);
        Assert.Equal("application/problem+json", post.Content.Headers.ContentType!.MediaType);
        Assert.Empty(post.SetCookieNames());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_return_address_longer_than_any_page_of_the_center_goes_home()
    {
        var post = await client.PostChoiceAsync(BannerForm("accept-all", returnUrl: "/cookies?" + new string('q', 3000)));

        Assert.Equal(HttpStatusCode.SeeOther, post.StatusCode);
        Assert.Equal("/?cc=saved#cc-saved", post.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task A_multipart_form_is_refused_with_415()
    {
        using var content = new MultipartFormDataContent { { new StringContent("accept-all"), "method" }, { new StringContent("banner"), "source" }, { new StringContent("1"), "policyVersion" } };

        var post = await client.PostAsync("/consent", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, post.StatusCode);
        Assert.Empty(await StoredRecordsAsync());
    }
}
