using System.Net;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary>GET /health, as a load balancer asks it: the database answers or it does not, and nothing more is said.</summary>
public abstract class HealthTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : HealthTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : HealthTests(TestEngine.Postgres);

    [Fact]
    public async Task The_center_is_healthy_when_its_database_answers()
    {
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Empty(response.SetCookieNames());
    }

    [Fact]
    public async Task The_center_is_unhealthy_once_its_database_is_gone_and_says_nothing_about_why()
    {
        await client.GetAsync("/health");

        await app.Database.RemoveAsync();
        var response = await client.GetAsync("/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", await response.Content.ReadAsStringAsync());
    }
}
