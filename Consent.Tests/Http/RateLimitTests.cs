using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Statistics;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>Floods from one client meet the limits of Consent:RateLimits; other clients are still served.</summary>
public abstract class RateLimitTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : RateLimitTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RateLimitTests(TestEngine.Postgres);

    private const string Docs = "https://docs.example.org";
    private const string Limit = "5";

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Consent:RateLimits:Enabled"] = "true";
        settings["Consent:RateLimits:Choices:PermitLimit"] = Limit;
        settings["Consent:RateLimits:Config:PermitLimit"] = Limit;
        settings["Consent:RateLimits:BannerViews:PermitLimit"] = Limit;
        settings["Consent:RateLimits:Exports:PermitLimit"] = "2";
        settings["Consent:Sites:docs"] = Docs;
    }

    /// <summary>A banner choice from <paramref name="address"/>, as the trusted proxy in front of the center names it.</summary>
    private async Task<HttpResponseMessage> ChooseFromAsync(string address, string action = "accept-all")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/consent") { Content = new FormUrlEncodedContent(BannerForm(action)) };
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostApiFromAsync(string address, string? origin = null)
    {
        var site = origin is null ? "" : ",\"site\":\"docs\"";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents")
        {
            Content = new StringContent($"{{\"method\":\"reject-all\",\"source\":\"banner\",\"policyVersion\":1{site}}}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-For", address);
        if (origin is not null) request.Headers.Add("Origin", origin);
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> GetConfigFromAsync(string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config");
        request.Headers.Add("X-Forwarded-For", address);
        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> PostBannerViewFromAsync(string address)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/banner-views?policyVersion=1&language=en&site=docs");
        request.Headers.Add("X-Forwarded-For", address);
        request.Headers.Add("Origin", Docs);
        return await client.SendAsync(request);
    }

    private async Task<ConsentFigures> TodayAsync() =>
        (await app.Services.GetRequiredService<StatisticsService>().GetReportAsync(StatisticsFilter.LastDays(1, app.Time))).Totals;

    [Fact]
    public async Task A_flood_of_choices_from_one_client_stores_only_the_limit_and_another_client_is_still_served()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++) answers.Add((await ChooseFromAsync("203.0.113.7")).StatusCode);
        var other = await ChooseFromAsync("198.51.100.20", "reject-all");

        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.SeeOther));
        Assert.Equal(195, answers.Count(a => a == HttpStatusCode.TooManyRequests));
        Assert.Equal(HttpStatusCode.SeeOther, other.StatusCode);
        Assert.Equal(6, (await StoredRecordsAsync()).Count);
        var today = await TodayAsync();
        Assert.Equal(5, today.AcceptAll);
        Assert.Equal(1, today.RejectAll);
    }

    [Fact]
    public async Task A_refused_choice_is_a_429_problem_saying_what_was_limited_and_when_to_retry()
    {
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Created, (await PostApiFromAsync("203.0.113.7", Docs)).StatusCode);

        var refused = await PostApiFromAsync("203.0.113.7", Docs);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var wait = refused.Headers.RetryAfter?.Delta?.TotalSeconds;
        Assert.InRange(wait ?? 0, 1, 60);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("Too many cookie choices", problem["title"]!.GetValue<string>());
        Assert.Equal("choices", problem["limit"]!.GetValue<string>());
        Assert.Equal(wait, problem["retryAfter"]!.GetValue<int>());
        Assert.Contains("more than 5 cookie choices in 60 seconds", problem["detail"]!.GetValue<string>());
        Assert.Contains($"Try again in {wait} seconds", problem["detail"]!.GetValue<string>());
        // The script on the other site can read why: the answer carries its CORS headers.
        Assert.Equal(Docs, refused.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(5, (await StoredRecordsAsync()).Count);
    }

    [Fact]
    public async Task The_form_and_the_api_count_against_one_limit_of_choices()
    {
        for (var i = 0; i < 3; i++) await ChooseFromAsync("203.0.113.7");
        for (var i = 0; i < 2; i++) await PostApiFromAsync("203.0.113.7");

        var api = await PostApiFromAsync("203.0.113.7");
        var form = await ChooseFromAsync("203.0.113.7");

        Assert.Equal(HttpStatusCode.TooManyRequests, api.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, form.StatusCode);
        Assert.Equal("application/problem+json", form.Content.Headers.ContentType?.MediaType);
        Assert.Equal(5, (await StoredRecordsAsync()).Count);
    }

    [Fact]
    public async Task A_flood_of_config_requests_from_one_client_is_limited_and_counts_no_banner_view()
    {
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 200; i++) answers.Add((await GetConfigFromAsync("203.0.113.7")).StatusCode);
        var other = await GetConfigFromAsync("198.51.100.20");

        Assert.Equal(5, answers.Count(a => a == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        await app.Services.GetRequiredService<BannerViewCounter>().FlushAsync();
        Assert.Equal(0, (await TodayAsync()).BannerShown);
    }

    [Fact]
    public async Task A_flood_of_banner_view_beacons_moves_banner_shown_by_at_most_the_limit()
    {
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 200; i++) answers.Add(await PostBannerViewFromAsync("203.0.113.7"));
        var other = await PostBannerViewFromAsync("198.51.100.20");

        Assert.Equal(5, answers.Count(a => a.StatusCode == HttpStatusCode.NoContent));
        Assert.Equal(195, answers.Count(a => a.StatusCode == HttpStatusCode.TooManyRequests));
        var problem = JsonNode.Parse(await answers[^1].Content.ReadAsStringAsync())!;
        Assert.Equal(("Too many banner views", "banner-views"), (problem["title"]!.GetValue<string>(), problem["limit"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.NoContent, other.StatusCode);
        await app.Services.GetRequiredService<BannerViewCounter>().FlushAsync();
        Assert.Equal(6, (await TodayAsync()).BannerShown);
    }

    [Fact]
    public async Task Addresses_of_one_IPv6_64_block_share_a_limit_and_another_block_does_not()
    {
        for (var i = 1; i <= 5; i++) await ChooseFromAsync($"2001:db8:1:2::{i:x}");

        var sameBlock = await ChooseFromAsync("2001:db8:1:2:ffff:ffff:ffff:ffff");
        var otherBlock = await ChooseFromAsync("2001:db8:1:3::1");

        Assert.Equal(HttpStatusCode.TooManyRequests, sameBlock.StatusCode);
        Assert.Equal(HttpStatusCode.SeeOther, otherBlock.StatusCode);
    }

    [Fact]
    public async Task Exports_are_limited_per_client()
    {
        using var admin = await app.SignedInAdminAsync();

        var answers = new List<HttpResponseMessage>();
        foreach (var path in new[] { "/admin/export/statistics.csv", "/admin/export/consents.csv?from=2026-11-29&to=2026-11-29", "/admin/export/statistics.csv" })
        {
            answers.Add(await admin.GetAsync(path));
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], answers.Select(a => a.StatusCode));
        var problem = JsonNode.Parse(await answers[2].Content.ReadAsStringAsync())!;
        Assert.Equal("Too many exports", problem["title"]!.GetValue<string>());
        Assert.NotNull(answers[2].Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task With_rate_limits_off_a_flood_from_one_client_is_served()
    {
        await using var off = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        off.Settings["Consent:RateLimits:Enabled"] = "false";
        off.Settings["Consent:RateLimits:Choices:PermitLimit"] = "1";
        using var visitor = off.CreateVisitorClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 20; i++) answers.Add((await visitor.PostChoiceAsync(BannerForm("accept-all"))).StatusCode);

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.SeeOther, a));
    }

    [Fact]
    public async Task The_shipped_configuration_limits_choices_to_30_a_minute_per_client()
    {
        await using var shipped = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        shipped.Settings.Remove("Consent:RateLimits:Enabled");
        using var visitor = shipped.CreateVisitorClient();

        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 31; i++) answers.Add((await visitor.PostChoiceAsync(BannerForm("accept-all"))).StatusCode);

        Assert.All(answers[..30], a => Assert.Equal(HttpStatusCode.SeeOther, a));
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[30]);
    }

    [Theory]
    [InlineData("Choices:PermitLimit", "0", "Consent:RateLimits:Choices:PermitLimit is 0; it must be a whole number of requests from 1")]
    [InlineData("Config:WindowSeconds", "-5", "Consent:RateLimits:Config:WindowSeconds is -5; it must be a whole number of seconds from 1")]
    [InlineData("Exports:PermitLimit", "many", "Consent:RateLimits:Exports:PermitLimit")]
    [InlineData("BannerViews:PermitLimit", "0", "Consent:RateLimits:BannerViews:PermitLimit is 0")]
    [InlineData("Enabled", "maybe", "Consent:RateLimits:Enabled")]
    public async Task A_limit_that_cannot_work_stops_the_start_naming_its_key(string key, string value, string expected)
    {
        await using var broken = new ConsentAppFactory(await ScratchDatabase.CreateAsync(Engine));
        broken.Settings[$"Consent:RateLimits:{key}"] = value;

        var error = Assert.ThrowsAny<Exception>(() => broken.Services);

        Assert.Contains(expected, error.ToString());
    }
}
