using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

public abstract class ConsentApiTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ConsentApiTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentApiTests(TestEngine.Postgres);

    private const string Docs = "https://docs.example.org";
    private const string Shop = "https://shop.example.org";
    private const string Stranger = "https://evil.example.net";

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Consent:Sites:docs"] = Docs;
        settings["Consent:Sites:shop"] = Shop;
    }

    private static HttpRequestMessage Get(string path, string? origin = null, string? consentCookie = null, string? acceptLanguage = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (consentCookie is not null) request.Headers.Add("Consent-Cookie", consentCookie);
        if (acceptLanguage is not null) request.Headers.Add("Accept-Language", acceptLanguage);
        return request;
    }

    private async Task<HttpResponseMessage> PostAsync(string json, string? origin = null, string? consentCookie = null, string mediaType = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents") { Content = new StringContent(json, Encoding.UTF8, mediaType) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (consentCookie is not null) request.Headers.Add("Consent-Cookie", consentCookie);
        request.Headers.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    private async Task<HttpResponseMessage> PostBannerViewAsync(string query, string? origin = Docs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/banner-views" + query);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private async Task<List<(string Language, int PolicyVersion, long Count)>> StoredBannerViewsAsync()
    {
        await app.Services.GetRequiredService<Consent.Core.Statistics.BannerViewCounter>().FlushAsync();
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return [.. (await db.BannerViewRollups.AsNoTracking().ToListAsync()).OrderBy(r => r.Language).Select(r => (r.Language, r.PolicyVersion, r.Count))];
    }

    [Fact]
    public async Task Config_lists_the_categories_in_order_with_their_cookies_the_texts_and_the_policy_version()
    {
        var response = await client.SendAsync(Get("/api/v1/config"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var config = await JsonOf(response);
        Assert.Equal("en", config["language"]!.GetValue<string>());
        Assert.Equal(1, config["policyVersion"]!.GetValue<int>());
        var categories = config["categories"]!.AsArray();
        Assert.Equal(["functional", "analytics", "social-media"], categories.Select(c => c!["key"]!.GetValue<string>()));
        Assert.True(categories[0]!["required"]!.GetValue<bool>());
        Assert.False(categories[1]!["required"]!.GetValue<bool>());
        var gid = Assert.Single(categories[1]!["cookies"]!.AsArray());
        Assert.Equal("_gid (Google Analytics)", gid!["name"]!.GetValue<string>());
        Assert.Equal("Gainsight", gid["supplier"]!.GetValue<string>());
        Assert.Equal("24 hours", gid["duration"]!.GetValue<string>());
        Assert.StartsWith("Track anonymously", gid["function"]!.GetValue<string>());
        Assert.Equal("Accept all", config["texts"]!["acceptAll"]!.GetValue<string>());
        Assert.Contains("Analytics and Social media + embedded videos", config["texts"]!["intro"]!.GetValue<string>());
        Assert.Null(config["state"]);
        Assert.Empty(config["changes"]!.AsArray());
        Assert.Equal("basic", config["googleConsentMode"]!["mode"]!.GetValue<string>());
        Assert.Equal(["analytics_storage"], Strings(config["googleConsentMode"]!["types"]!["analytics"]));
    }

    [Fact]
    public async Task Config_in_French_translates_the_seeded_catalogue_as_the_centers_own_pages_do()
    {
        var config = await JsonOf(await client.SendAsync(Get("/api/v1/config?lang=fr")));

        var analytics = config["categories"]![1]!;
        Assert.Equal("Mesure d'audience", analytics["name"]!.GetValue<string>());
        Assert.Equal("24\u00a0heures", analytics["cookies"]![0]!["duration"]!.GetValue<string>());
        Assert.Contains("Mesure d'audience et Réseaux sociaux + vidéos intégrées", config["texts"]!["intro"]!.GetValue<string>());
    }

    [Fact]
    public async Task Config_is_public_for_a_minute_with_a_strong_ETag_and_the_same_bytes_whatever_the_visitor_sends()
    {
        var cookie = (await JsonOf(await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1}""")))["cookie"]!["value"]!.GetValue<string>();
        var plain = await client.SendAsync(Get("/api/v1/config?lang=en"));
        var withHeader = await client.SendAsync(Get("/api/v1/config?lang=en", consentCookie: cookie, acceptLanguage: "fr"));
        using var withCookieAndGpc = Get("/api/v1/config?lang=en");
        withCookieAndGpc.Headers.Add("Cookie", "cc_consent=" + cookie + "; cc_lang=fr");
        withCookieAndGpc.Headers.Add("Sec-GPC", "1");
        var withCookie = await client.SendAsync(withCookieAndGpc);

        Assert.Equal("public, max-age=60", plain.Headers.CacheControl!.ToString());
        var etag = plain.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal(["Origin"], plain.Headers.Vary); // ?lang= says the language; only the CORS headers depend on the request
        Assert.Empty(plain.SetCookieNames());
        var bytes = await plain.Content.ReadAsByteArrayAsync();
        foreach (var other in new[] { withHeader, withCookie })
        {
            Assert.Equal(bytes, await other.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, other.Headers.ETag);
        }
        Assert.DoesNotContain(cookie.Split('.')[1], System.Text.Encoding.UTF8.GetString(bytes)); // no visitor id
    }

    [Fact]
    public async Task A_config_asked_again_with_its_ETag_is_304_without_a_body_until_a_new_policy_is_published()
    {
        var first = await client.SendAsync(Get("/api/v1/config?lang=fr"));
        var etag = first.Headers.ETag!.Tag;

        using var again = Get("/api/v1/config?lang=fr");
        again.Headers.TryAddWithoutValidation("If-None-Match", $"\"other\", {etag}");
        var revalidated = await client.SendAsync(again);
        using var weak = Get("/api/v1/config?lang=fr");
        weak.Headers.TryAddWithoutValidation("If-None-Match", "W/" + etag);
        var weakly = await client.SendAsync(weak);
        using var english = Get("/api/v1/config?lang=en");
        english.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var otherLanguage = await client.SendAsync(english);
        await PublishPolicyVersion2Async();
        using var afterPublishing = Get("/api/v1/config?lang=fr");
        afterPublishing.Headers.TryAddWithoutValidation("If-None-Match", etag);
        var published = await client.SendAsync(afterPublishing);

        Assert.Equal(HttpStatusCode.NotModified, revalidated.StatusCode);
        Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
        Assert.Equal(etag, revalidated.Headers.ETag!.Tag);
        Assert.Equal("public, max-age=60", revalidated.Headers.CacheControl!.ToString());
        Assert.Equal(HttpStatusCode.NotModified, weakly.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherLanguage.StatusCode);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.NotEqual(etag, published.Headers.ETag!.Tag);
        Assert.Equal(2, (await JsonOf(published))["policyVersion"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_config_negotiated_from_Accept_Language_says_Vary_Accept_Language()
    {
        var negotiated = await client.SendAsync(Get("/api/v1/config", acceptLanguage: "fr-FR"));
        var unknown = await client.SendAsync(Get("/api/v1/config?lang=de", acceptLanguage: "fr-FR"));

        Assert.Contains("Accept-Language", negotiated.Headers.Vary);
        Assert.Contains("Accept-Language", unknown.Headers.Vary);
        Assert.Equal("fr", (await JsonOf(unknown))["language"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_config_counts_no_banner_view_and_each_beacon_counts_one_in_its_language()
    {
        await client.SendAsync(Get("/api/v1/config?lang=fr"));
        await client.SendAsync(Get("/api/v1/config"));

        var fromSite = await PostBannerViewAsync("?policyVersion=1&language=fr&site=docs");
        var ownPage = await PostBannerViewAsync("?policyVersion=1&language=en", origin: "http://localhost");
        await PostBannerViewAsync("?policyVersion=1&language=fr&site=shop", origin: Shop);

        Assert.Equal(HttpStatusCode.NoContent, fromSite.StatusCode);
        Assert.Equal(Docs, fromSite.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(HttpStatusCode.NoContent, ownPage.StatusCode);
        Assert.Equal([("en", 1, 1L), ("fr", 1, 2L)], await StoredBannerViewsAsync());
    }

    [Theory]
    [InlineData("?policyVersion=2&language=en&site=docs", Docs, "policyVersion", "version 1 is current")]
    [InlineData("?language=en&site=docs", Docs, "policyVersion", "Say which policy version")]
    [InlineData("?policyVersion=%2B1&language=en&site=docs", Docs, "policyVersion", "whole number")]
    [InlineData("?policyVersion=1&language=de&site=docs", Docs, "language", "one of en, fr")]
    [InlineData("?policyVersion=1&language=en&site=shop", Docs, "site", "not \"shop\"")]
    [InlineData("?policyVersion=1&language=en", Docs, "site", "Name the site")]
    [InlineData("?policyVersion=1&language=en&site=docs", "http://localhost", "site", "leave site out")]
    [InlineData("?policyVersion=1&language=en&site=docs&visitor=19cd", Docs, "visitor", "not one of them")]
    public async Task A_refused_banner_view_is_a_problem_naming_the_field_and_counts_nothing(string query, string origin, string field, string message)
    {
        var response = await PostBannerViewAsync(query, origin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(message, string.Join(" ", Strings((await JsonOf(response))["errors"]![field])));
        Assert.Empty(await StoredBannerViewsAsync());
    }

    [Fact]
    public async Task A_banner_view_from_an_origin_that_is_not_configured_is_forbidden_and_counts_nothing()
    {
        var response = await PostBannerViewAsync("?policyVersion=1&language=en&site=docs", Stranger);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(Stranger, (await JsonOf(response))["detail"]!.GetValue<string>());
        Assert.Empty(await StoredBannerViewsAsync());
    }

    [Theory]
    [InlineData("Sec-GPC", "global-privacy-control")]
    [InlineData("DNT", "do-not-track")]
    public async Task A_privacy_signal_is_answered_as_a_refusal_of_everything_optional_without_a_decision(string header, string signal)
    {
        var request = Get("/api/v1/consents/current");
        request.Headers.Add(header, "1");

        var state = await JsonOf(await client.SendAsync(request));

        Assert.Equal(signal, state["privacySignal"]!.GetValue<string>());
        Assert.False(state["hasDecision"]!.GetValue<bool>());
        Assert.Equal(["functional"], Strings(state["granted"]));
        Assert.Equal(["analytics", "social-media"], Strings(state["denied"]));
    }

    [Theory]
    [InlineData("fr", null, "fr", "Tout accepter")]
    [InlineData(null, "fr-FR,fr;q=0.9,en;q=0.8", "fr", "Tout accepter")]
    [InlineData("de", "fr-CA", "fr", "Tout accepter")]
    [InlineData("en", "fr-FR", "en", "Accept all")]
    [InlineData(null, "de-DE, en;q=0.5", "en", "Accept all")]
    [InlineData(null, null, "en", "Accept all")]
    public async Task Config_texts_come_in_the_requested_language_else_the_browsers_else_English(
        string? lang, string? acceptLanguage, string expectedLanguage, string acceptAll)
    {
        var response = await client.SendAsync(Get("/api/v1/config" + (lang is null ? "" : "?lang=" + lang), acceptLanguage: acceptLanguage));

        var config = await JsonOf(response);
        Assert.Equal(expectedLanguage, config["language"]!.GetValue<string>());
        Assert.Equal(acceptAll, config["texts"]!["acceptAll"]!.GetValue<string>());
    }

    [Fact]
    public async Task After_a_new_version_the_config_lists_what_it_changed_and_an_older_answer_is_no_decision()
    {
        var created = await JsonOf(await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1}"""));
        var cookie = created["cookie"]!["value"]!.GetValue<string>();
        await PublishPolicyVersion2Async();

        var config = await JsonOf(await client.SendAsync(Get("/api/v1/config")));
        var current = await JsonOf(await client.SendAsync(Get("/api/v1/consents/current", consentCookie: cookie)));

        Assert.Equal(2, config["policyVersion"]!.GetValue<int>());
        var change = Assert.Single(config["changes"]!.AsArray());
        Assert.Equal("A new analytics supplier.", change!["summary"]!.GetValue<string>());
        Assert.Equal(2, change["version"]!.GetValue<int>());
        Assert.False(current["hasDecision"]!.GetValue<bool>());
        Assert.True(current["answeredOlderPolicy"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_choice_from_the_centers_own_pages_is_recorded_answered_with_its_cookie_and_set_as_cc_consent()
    {
        var before = (await StoredRecordsAsync()).Count;

        var response = await PostAsync("""{"method":"custom","source":"preference-center","policyVersion":1,"granted":["analytics"],"denied":["social-media"]}""",
            origin: "http://localhost");

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await JsonOf(response);
        var record = Assert.Single(await StoredRecordsAsync(), r => r.Id == body["consentId"]!.GetValue<Guid>());
        Assert.Equal(before + 1, (await StoredRecordsAsync()).Count);
        Assert.Equal(ConsentMethod.Custom, record.Method);
        Assert.Equal(ConsentSource.PreferenceCenter, record.Source);
        Assert.Null(record.Site);
        Assert.Equal(["analytics", "functional"], record.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey).Order());
        Assert.Equal("cc_consent", body["cookie"]!["name"]!.GetValue<string>());
        Assert.Equal(record.ExpiresAt, body["cookie"]!["expires"]!.GetValue<DateTime>());
        Assert.Equal(body["cookie"]!["value"]!.GetValue<string>(), response.ConsentCookieValue());
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), v => v.StartsWith("cc_consent=") && v.Contains("httponly") && v.Contains("samesite=lax"));
        var state = body["state"]!;
        Assert.True(state["hasDecision"]!.GetValue<bool>());
        Assert.Equal(["functional", "analytics"], Strings(state["granted"]));
        Assert.Equal(["social-media"], Strings(state["denied"]));
        Assert.Equal(record.Id, state["consentId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task A_choice_from_a_configured_site_is_stored_with_the_site_and_the_cookie_is_only_in_the_body()
    {
        var response = await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1,"site":"docs"}""", origin: Docs);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(Docs, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.DoesNotContain("cc_consent", response.SetCookieNames());
        var body = await JsonOf(response);
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.Equal("docs", record.Site);
        Assert.Equal(ConsentSource.Banner, record.Source);
        Assert.Equal(record.Id, body["consentId"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task The_Consent_Cookie_header_counts_like_the_cookie_for_the_current_state_and_the_next_choice()
    {
        var first = await JsonOf(await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1,"site":"docs"}""", origin: Docs));
        var cookie = first["cookie"]!["value"]!.GetValue<string>();

        var current = await JsonOf(await client.SendAsync(Get("/api/v1/consents/current", origin: Docs, consentCookie: cookie)));
        var withdrawal = await PostAsync("""{"method":"withdrawal","source":"preference-center","policyVersion":1,"site":"docs"}""", origin: Docs, consentCookie: cookie);
        using var byCookie = Get("/api/v1/consents/current");
        byCookie.Headers.Add("Cookie", "cc_consent=" + cookie);
        var currentByCookie = await JsonOf(await client.SendAsync(byCookie));
        var tampered = await JsonOf(await client.SendAsync(Get("/api/v1/consents/current", consentCookie: cookie.Replace("analytics", "ads"))));

        Assert.True(current["hasDecision"]!.GetValue<bool>());
        Assert.Equal(first["consentId"]!.GetValue<Guid>(), current["consentId"]!.GetValue<Guid>());
        Assert.Equal(["functional", "analytics", "social-media"], Strings(current["granted"]));
        Assert.Equal(HttpStatusCode.Created, withdrawal.StatusCode);
        var records = await StoredRecordsAsync();
        Assert.Equal(2, records.Count);
        Assert.Single(records.Select(r => r.VisitorId).Distinct()); // the same visitor, through the header
        Assert.Contains(records, r => r.Method == ConsentMethod.Withdrawal);
        Assert.True(currentByCookie["hasDecision"]!.GetValue<bool>());
        Assert.False(tampered["hasDecision"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":1,"colour":"blue"}""", "colour", "no field")]
    [InlineData("""{"Method":"accept-all","source":"banner","policyVersion":1}""", "Method", "no field")]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":"1"}""", "policyVersion", "whole number")]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":1.5}""", "policyVersion", "whole number")]
    [InlineData("""{"method":"maybe","source":"banner","policyVersion":1}""", "method", "accept-all, reject-all, custom, withdrawal")]
    [InlineData("""{"method":0,"source":"banner","policyVersion":1}""", "method", "accept-all, reject-all, custom, withdrawal")]
    [InlineData("""{"method":"accept-all","source":"api","policyVersion":1}""", "source", "banner, preference-center or placeholder")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":"analytics"}""", "granted", "list of category keys")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":null}""", "granted", "list of category keys")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":[null]}""", "granted", "null is not one")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":[1]}""", "granted", "list of category keys")]
    [InlineData("""{"method":"custom","source":"banner""", "$", "not valid JSON")]
    [InlineData("""{"method":"accept-all","method":"reject-all","source":"banner","policyVersion":1}""", "method", "more than once")]
    [InlineData("", "$", "not valid JSON")]
    [InlineData("null", "$", "one JSON object")]
    [InlineData("""{"source":"banner","policyVersion":1}""", "method", "Say how the choice was made")]
    [InlineData("""{"method":"accept-all","source":"banner"}""", "policyVersion", "Say which policy version")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"denied":["functional"]}""", "denied", "Functional is always on")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":["ads"]}""", "granted", "There is no category \"ads\"")]
    [InlineData("""{"method":"reject-all","source":"banner","policyVersion":1,"granted":["analytics"]}""", "granted", "Rejecting all cannot grant Analytics")]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":7}""", "policyVersion", "has not been published")]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":1,"site":"blog"}""", "site", "There is no site \"blog\"")]
    [InlineData("""{"method":"AcceptAll","source":"banner","policyVersion":1}""", "method", "accept-all, reject-all, custom, withdrawal")]
    [InlineData("""{"method":"accept-all","source":"PreferenceCenter","policyVersion":1}""", "source", "banner, preference-center or placeholder")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":["analytics","analytics"]}""", "granted", "more than once")]
    [InlineData("""{"method":"custom","source":"banner","policyVersion":1,"granted":["functional","analytics","social-media","x"]}""", "granted", "the catalogue has 3")]
    [InlineData("""{"method":"accept-all","source":"banner","policyVersion":1}{}""", "$", "not valid JSON")]
    public async Task A_refused_choice_is_a_problem_naming_the_field_and_stores_nothing(string json, string field, string message)
    {
        var before = (await StoredRecordsAsync()).Count;

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await JsonOf(response);
        Assert.Contains(message, string.Join(" ", Strings(problem["errors"]![field])));
        Assert.Equal(before, (await StoredRecordsAsync()).Count);
        Assert.Empty(response.SetCookieNames());
    }

    [Fact]
    public async Task A_choice_answering_a_replaced_policy_version_is_a_conflict_naming_the_current_version()
    {
        await PublishPolicyVersion2Async();

        var response = await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1,"site":"docs"}""", origin: Docs);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = await JsonOf(response);
        Assert.Equal(2, problem["currentPolicyVersion"]!.GetValue<int>());
        Assert.Contains("version 2 is current", Strings(problem["errors"]!["policyVersion"]).Single());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    public async Task A_post_from_an_origin_that_is_not_configured_is_forbidden_and_stores_nothing(string mediaType)
    {
        var response = await PostAsync("""{"method":"accept-all","source":"banner","policyVersion":1,"site":"docs"}""", origin: Stranger, mediaType: mediaType);

        Assert.True(HttpStatusCode.Forbidden == response.StatusCode, await response.Content.ReadAsStringAsync());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains(Stranger, (await JsonOf(response))["detail"]!.GetValue<string>());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.Empty(await StoredRecordsAsync());
    }

    [Theory]
    [InlineData(Docs, """ "site":"shop", """, "which is site \"docs\", not \"shop\"")]
    [InlineData(Docs, "", "Name the site")]
    [InlineData("http://localhost", """ "site":"docs", """, "leave site out")]
    public async Task The_site_must_be_the_one_the_request_comes_from(string origin, string site, string message)
    {
        var response = await PostAsync("{" + site + """ "method":"accept-all","source":"banner","policyVersion":1}""", origin: origin);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, Strings((await JsonOf(response))["errors"]!["site"]).Single());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task CORS_allows_exactly_the_configured_origins_on_the_api()
    {
        var allowed = await client.SendAsync(Get("/api/v1/config", origin: Shop));
        var other = await client.SendAsync(Get("/api/v1/config", origin: Stranger));

        Assert.Equal(Shop, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_preflight_from_a_configured_site_allows_the_scripts_post_and_from_others_nothing()
    {
        static HttpRequestMessage Preflight(string path, string origin)
        {
            var request = new HttpRequestMessage(HttpMethod.Options, path);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "POST");
            request.Headers.Add("Access-Control-Request-Headers", "content-type,consent-cookie");
            return request;
        }

        var allowed = await client.SendAsync(Preflight("/api/v1/consents", Docs));
        var other = await client.SendAsync(Preflight("/api/v1/consents", Stranger));
        var notApi = await client.SendAsync(Preflight("/consent", Docs));

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal(Docs, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("consent-cookie", allowed.Headers.GetValues("Access-Control-Allow-Headers").Single(), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("POST", allowed.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(notApi.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_api_endpoints_with_their_schemas_and_problems()
    {
        var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await JsonOf(response);
        var paths = document["paths"]!.AsObject();
        // The log's public endpoints are in the document too; LogEndpointsTests checks them, ReceiptEndpointTests the receipt.
        Assert.Equal(["/api/v1/banner-views", "/api/v1/config", "/api/v1/consents", "/api/v1/consents/current", "/api/v1/consents/current/receipt"],
            paths.Select(p => p.Key).Where(k => k.StartsWith("/api/v1/", StringComparison.Ordinal)).Order());
        Assert.All(paths.Select(p => p.Key), k => Assert.True(k.StartsWith("/api/v1/", StringComparison.Ordinal) || k.StartsWith("/log/", StringComparison.Ordinal), k));
        Assert.False(string.IsNullOrEmpty(paths["/api/v1/config"]!["get"]!["summary"]?.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(paths["/api/v1/consents/current"]!["get"]!["summary"]?.GetValue<string>()));
        var post = paths["/api/v1/consents"]!["post"]!;
        Assert.Equal("Record a visitor's decision", post["summary"]!.GetValue<string>());
        Assert.NotNull(post["requestBody"]!["content"]!["application/json"]!["schema"]);
        Assert.Equal(["201", "400", "403", "409", "429"], post["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.Equal(["200", "304", "429"], paths["/api/v1/config"]!["get"]!["responses"]!.AsObject().Select(r => r.Key).Order());
        Assert.NotNull(paths["/api/v1/config"]!["get"]!["responses"]!["200"]!["content"]!["application/json"]!["schema"]);
        Assert.Equal(["204", "400", "403", "429"], paths["/api/v1/banner-views"]!["post"]!["responses"]!.AsObject().Select(r => r.Key).Order());
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.Contains("ConsentRequest", schemas.Select(s => s.Key));
        Assert.Contains("ConsentConfigResponse", schemas.Select(s => s.Key));
        Assert.Contains("ConsentCreatedResponse", schemas.Select(s => s.Key));
        var methodNames = JsonSerializer.Serialize(schemas["ConsentRequest"]!["properties"]!["method"]);
        Assert.Contains("accept-all", methodNames);
    }

    [Theory]
    [InlineData(5 * 1024)]
    [InlineData(389 * 1024)]
    [InlineData(52 * 1024 * 1024)]
    public async Task A_body_larger_than_a_choice_is_refused_unread_with_413(int size)
    {
        var keys = string.Join(",", Enumerable.Range(0, size / 10).Select(i => $"\"k{i:D6}\""));
        var json = $$"""{"method":"custom","source":"banner","policyVersion":1,"granted":[{{keys}}]}""";

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("at most 4096 bytes", (await JsonOf(response))["detail"]!.GetValue<string>());
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_body_without_a_length_is_cut_at_the_limit()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"method":"accept-all","source":"banner","policyVersion":1,"site":"{{new string('x', 8000)}}"}"""))),
        };
        request.Headers.TransferEncodingChunked = true;

        var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_list_longer_than_any_catalogue_is_refused_before_its_keys_are_looked_at()
    {
        var keys = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"k{i}\""));

        var response = await PostAsync($$"""{"method":"custom","source":"banner","policyVersion":1,"granted":[{{keys}}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["granted lists more than 32 categories; the catalogue has far fewer."], Strings((await JsonOf(response))["errors"]!["granted"]));
        Assert.Empty(await StoredRecordsAsync());
    }
}
