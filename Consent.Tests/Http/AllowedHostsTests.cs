using System.Net;
using System.Text.Json;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary>
/// Only the hosts of <c>AllowedHosts</c> are served, so no answer names a host an attacker chose (links in the API's
/// answers, redirects). The test app runs in Development, whose default is every host; here it is set as in production.
/// </summary>
public sealed class AllowedHostsTests() : AppTest(TestEngine.Sqlite)
{
    private const string Host = "consent.example.org";

    protected override void Configure(IDictionary<string, string> settings) => settings["AllowedHosts"] = Host;

    private HttpClient ClientFor(string origin) =>
        app.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(origin) });

    private static async Task<string> PolicyUrlAsync(HttpResponseMessage response)
    {
        using var config = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return config.RootElement.GetProperty("policyUrl").GetString()!;
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://consent.example.org.evil.example")]
    [InlineData("http://localhost")]
    public async Task A_request_for_another_host_is_refused(string origin)
    {
        using var stranger = ClientFor(origin);

        var page = await stranger.GetAsync("/");
        var config = await stranger.GetAsync("/api/v1/config");

        Assert.Equal(HttpStatusCode.BadRequest, page.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, config.StatusCode);
        Assert.DoesNotContain("evil", await config.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_configured_host_is_served_and_named_in_the_api_s_links()
    {
        using var visitor = ClientFor($"https://{Host}");

        var config = await visitor.GetAsync("/api/v1/config");

        Assert.Equal(HttpStatusCode.OK, config.StatusCode);
        Assert.Equal($"https://{Host}/cookies", await PolicyUrlAsync(config));
    }

    [Fact]
    public async Task A_forwarded_host_outside_the_list_never_reaches_a_link()
    {
        using var visitor = ClientFor($"http://{Host}");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/config");
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        var config = await visitor.SendAsync(request);

        Assert.Equal($"http://{Host}/cookies", await PolicyUrlAsync(config));
    }

    [Fact]
    public async Task The_shipped_configuration_serves_only_localhost_until_the_operator_names_the_host()
    {
        await using var shipped = app.AnotherInstance();
        shipped.Settings.Remove("AllowedHosts");
        shipped.Settings["environment"] = "Production";
        using var local = shipped.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri("http://localhost") });
        using var named = shipped.CreateClient(new() { AllowAutoRedirect = false, BaseAddress = new Uri($"http://{Host}") });

        var served = await local.GetAsync("/health");
        var refused = await named.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
    }
}
