using System.Net;
using System.Text.Json;
using Consent.Core.Consents;
using Consent.Tests.Support;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>"Download my consent history" and "Erase my consent history": proved by the consent cookie alone, and by nothing else.</summary>
public abstract class ConsentHistoryTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ConsentHistoryTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentHistoryTests(TestEngine.Postgres);

    /// <summary>Two choices of one visitor and one of someone else; returns the first visitor's latest cookie.</summary>
    private async Task<string> TwoChoicesAndAnotherVisitorAsync()
    {
        var first = (await client.PostChoiceAsync(BannerForm("accept-all"))).ConsentCookieValue();
        app.Time.Advance(TimeSpan.FromMinutes(5));
        var second = (await client.PostChoiceAsync(BannerForm("custom", granted: "analytics"), first)).ConsentCookieValue();
        await client.PostChoiceAsync(BannerForm("reject-all"));
        return second;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? consentCookie, string? secFetchSite = "same-origin", string? origin = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (consentCookie is not null) request.Headers.Add("Cookie", $"{ConsentCookie.Name}={consentCookie}");
        if (secFetchSite is not null) request.Headers.Add("Sec-Fetch-Site", secFetchSite);
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (method == HttpMethod.Post) request.Content = new FormUrlEncodedContent([]);
        return await client.SendAsync(request);
    }

    private Task<HttpResponseMessage> EraseAsync(string? consentCookie, string? secFetchSite = "same-origin", string? origin = null) =>
        SendAsync(HttpMethod.Post, "/consent/erase", consentCookie, secFetchSite, origin);

    private async Task<int> LinkedRecordsAsync() => (await StoredRecordsAsync()).Count(r => r.VisitorId is not null);

    [Fact]
    public async Task The_preferences_page_offers_download_and_erase_only_to_a_visitor_its_cookie_proves()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();

        var (_, without) = await client.GetPageAsync("/preferences");
        var (_, with) = await client.GetPageAsync("/preferences", cookie);

        Assert.Null(without.QuerySelector("[data-testid=consent-history]"));
        var section = with.QuerySelector("[data-testid=consent-history]")!;
        Assert.Contains("access and portability", section.TextContent);
        Assert.Equal("/consent/history", section.QuerySelector("a[download]")!.GetAttribute("href"));
        Assert.Equal("Erase my consent history", section.QuerySelector("a[href='/preferences/erase']")!.TextContent.Trim());
    }

    [Fact]
    public async Task The_download_is_every_record_of_the_visitor_as_a_json_attachment_newest_first()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();
        var visitorId = cookie.Split('.')[1];

        var response = await SendAsync(HttpMethod.Get, "/consent/history", cookie, secFetchSite: "none");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType ?? response.Headers.GetValues("Content-Disposition").Single().Split(';')[0]);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString());
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(visitorId, json.RootElement.GetProperty("visitorId").GetString());
        var mine = (await StoredRecordsAsync()).Where(r => r.VisitorId == visitorId).OrderByDescending(r => r.RecordedAt).ToList();
        var records = json.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(mine.Select(r => r.Id.ToString("D")), records.Select(r => r.GetProperty("consentId").GetString()));
        var latest = records[0];
        Assert.Equal(("custom", "banner", 1, mine[0].LogIndex), (latest.GetProperty("method").GetString(), latest.GetProperty("source").GetString(),
            latest.GetProperty("policyVersion").GetInt32(), (long?)latest.GetProperty("logIndex").GetInt64()));
        Assert.Equal(64, latest.GetProperty("policyHash").GetString()!.Length);
        Assert.Equal([("functional", true), ("analytics", true), ("social-media", false)],
            latest.GetProperty("decisions").EnumerateArray().Select(d => (d.GetProperty("category").GetString(), d.GetProperty("granted").GetBoolean())));
    }

    [Fact]
    public async Task Without_a_cookie_or_with_a_forged_one_nothing_is_given_and_nothing_erased()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();
        var other = (await StoredRecordsAsync()).Single(r => r.Method == ConsentMethod.RejectAll).VisitorId!;
        var parts = cookie.Split('.');
        parts[1] = other; // another visitor's id under this visitor's signature
        var forged = string.Join('.', parts);

        foreach (var value in new[] { null, forged, "1.garbage" })
        {
            var download = await SendAsync(HttpMethod.Get, "/consent/history", value);
            var erase = await EraseAsync(value);

            Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
            Assert.Equal("text/plain", download.Content.Headers.ContentType!.MediaType);
            Assert.Contains("no consent cookie", await download.Content.ReadAsStringAsync());
            Assert.DoesNotContain(other, await download.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.NotFound, erase.StatusCode);
            Assert.Empty(erase.SetCookieNames());
        }
        Assert.Equal(3, await LinkedRecordsAsync());
    }

    [Fact]
    public async Task The_confirmation_page_says_what_erasure_does_and_posts_to_the_same_origin_form()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();

        var (_, page) = await client.GetPageAsync("/preferences/erase", cookie);
        var (_, without) = await client.GetPageAsync("/preferences/erase");

        Assert.Contains("linked to you: 2.", page.QuerySelector("[data-testid=erase-explanation]")!.TextContent);
        var form = page.QuerySelector("form[data-testid=erase-form]")!;
        Assert.Equal(("post", "/consent/erase"), (form.GetAttribute("method"), form.GetAttribute("action")));
        Assert.NotNull(without.QuerySelector("[data-testid=erase-nothing]"));
        Assert.Null(without.QuerySelector("form[data-testid=erase-form]"));
        Assert.Equal(3, await LinkedRecordsAsync());
    }

    [Fact]
    public async Task Erasing_unlinks_the_records_clears_the_cookie_and_shows_what_was_done()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();

        var erase = await EraseAsync(cookie);

        Assert.Equal(HttpStatusCode.SeeOther, erase.StatusCode);
        var cleared = erase.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith(ConsentCookie.Name + "="));
        Assert.StartsWith($"{ConsentCookie.Name}=;", cleared);
        Assert.Contains("expires=Thu, 01 Jan 1970", cleared, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/", cleared);
        Assert.Contains("samesite=lax", cleared);
        Assert.Contains("httponly", cleared);
        var stored = await StoredRecordsAsync();
        Assert.Equal(1, stored.Count(r => r.VisitorId is not null));
        var erasure = Assert.Single(stored, r => r.Method == ConsentMethod.Erasure);
        var location = erase.Headers.Location!.OriginalString;
        Assert.StartsWith("/preferences/erased?outcome=", location);
        var (_, page) = await client.GetPageAsync(location);
        var done = page.QuerySelector("[data-testid=erased-done]")!.TextContent;
        Assert.Contains("Records unlinked from you: 2.", done);
        Assert.Contains(erasure.Id.ToString("D"), done);
        Assert.Contains("still proves these records existed, without pointing at you", page.Body!.TextContent);
    }

    [Fact]
    public async Task Erasing_twice_unlinks_nothing_more_and_says_so()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();
        await EraseAsync(cookie);

        var again = await EraseAsync(cookie);

        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        var (_, page) = await client.GetPageAsync(again.Headers.Location!.OriginalString);
        Assert.Contains("no record was unlinked", page.QuerySelector("[data-testid=erased-nothing]")!.TextContent);
        Assert.Single(await StoredRecordsAsync(), r => r.Method == ConsentMethod.Erasure);
    }

    [Fact]
    public async Task An_erasure_posted_from_another_site_is_refused_and_changes_nothing()
    {
        var cookie = await TwoChoicesAndAnotherVisitorAsync();

        var byOrigin = await EraseAsync(cookie, secFetchSite: "cross-site", origin: "https://evil.example");
        var byFetchSite = await EraseAsync(cookie, secFetchSite: "cross-site");
        var download = await SendAsync(HttpMethod.Get, "/consent/history", cookie, secFetchSite: "cross-site");

        foreach (var refused in new[] { byOrigin, byFetchSite, download })
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
            Assert.Empty(refused.SetCookieNames());
        }
        Assert.Equal(3, await LinkedRecordsAsync());
    }

    [Fact]
    public async Task An_outcome_link_this_center_did_not_make_shows_no_erasure()
    {
        var (response, page) = await client.GetPageAsync("/preferences/erased?outcome=CfDJ8made-up");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-testid=erased-unknown]"));
        Assert.Null(page.QuerySelector("[data-testid=erased-done]"));
    }
}
