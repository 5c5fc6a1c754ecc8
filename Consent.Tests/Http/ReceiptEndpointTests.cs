using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary><c>GET /api/v1/consents/current/receipt</c> and the preference center's download: the receipt of the decision in force, which verifies with <c>/log/key</c>.</summary>
public abstract class ReceiptEndpointTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ReceiptEndpointTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ReceiptEndpointTests(TestEngine.Postgres);

    private const string Docs = "https://docs.example.org";

    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Consent:Sites:docs"] = Docs;
        settings["Consent:Controller:Name"] = "Example Org";
    }

    /// <summary>A choice made on the docs site through the API; answers the consent cookie's value and the consent id.</summary>
    private async Task<(string Cookie, Guid ConsentId)> ChooseAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents")
        {
            Content = new StringContent("""{"method":"custom","source":"banner","policyVersion":1,"granted":["social-media"],"site":"docs"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", Docs);
        var created = JsonNode.Parse(await (await client.SendAsync(request)).EnsureSuccessStatusCode().Content.ReadAsStringAsync())!;
        return (created["cookie"]!["value"]!.GetValue<string>(), created["consentId"]!.GetValue<Guid>());
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string? consentCookie = null, string? cookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", Docs);
        if (consentCookie is not null) request.Headers.Add("Consent-Cookie", consentCookie);
        if (cookie is not null) request.Headers.Add("Cookie", "cc_consent=" + cookie);
        return await client.SendAsync(request);
    }

    private async Task<List<NoteVerifier>> ServedKeysAsync()
    {
        var text = await client.GetStringAsync("/log/key");
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(NoteVerifier.Parse)];
    }

    [Fact]
    public async Task An_embedding_site_gets_the_receipt_of_the_decision_in_force_and_it_verifies_with_the_served_key()
    {
        var (cookie, consentId) = await ChooseAsync();

        var response = await GetAsync("/api/v1/consents/current/receipt", consentCookie: cookie);
        var body = await response.Content.ReadAsByteArrayAsync();
        var verified = ReceiptVerifier.Verify(body, await ServedKeysAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal(Docs, Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Equal(consentId, verified.ConsentId);
        Assert.Equal(["functional", "social-media"], verified.Purposes.Where(p => p.Granted).Select(p => p.CategoryKey));
        var receipt = ReceiptJson.Parse(body);
        Assert.Equal(("Example Org", "docs", "http://localhost/cookies"), (receipt.PiiControllers[0].PiiController, receipt.Site, receipt.PolicyUrl));
    }

    [Fact]
    public async Task Without_a_decision_in_force_the_receipt_is_a_404_problem()
    {
        var response = await GetAsync("/api/v1/consents/current/receipt");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("No decision in force", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task A_tampered_consent_cookie_gets_no_receipt()
    {
        var (cookie, _) = await ChooseAsync();

        var response = await GetAsync("/api/v1/consents/current/receipt", consentCookie: cookie.Replace("social-media", "analytics", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task The_preference_centers_download_is_an_attachment_named_after_the_consent()
    {
        var (cookie, consentId) = await ChooseAsync();

        var response = await GetAsync("/preferences/receipt", cookie: cookie);
        var verified = ReceiptVerifier.Verify(await response.Content.ReadAsByteArrayAsync(), await ServedKeysAsync());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal($"attachment; filename=\"consent-receipt-{consentId:D}.json\"", response.Content.Headers.ContentDisposition?.ToString());
        Assert.Equal(consentId, verified.ConsentId);
    }

    [Fact]
    public async Task The_preference_center_links_to_the_receipt_only_with_a_decision_in_force()
    {
        var (cookie, _) = await ChooseAsync();

        var without = await client.GetStringAsync("/preferences");
        var with = await (await GetAsync("/preferences", cookie: cookie)).Content.ReadAsStringAsync();

        Assert.DoesNotContain("/preferences/receipt", without, StringComparison.Ordinal);
        Assert.Contains("href=\"/preferences/receipt\"", with, StringComparison.Ordinal);
        Assert.Contains("Download my receipt", with, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_receipt_endpoint_is_in_the_openapi_document()
    {
        var document = JsonNode.Parse(await client.GetStringAsync("/openapi/v1.json"))!;

        var operation = document["paths"]!["/api/v1/consents/current/receipt"]!["get"]!;

        Assert.Equal("GetCurrentConsentReceipt", operation["operationId"]!.GetValue<string>());
        Assert.NotNull(operation["responses"]!["404"]);
    }
}
