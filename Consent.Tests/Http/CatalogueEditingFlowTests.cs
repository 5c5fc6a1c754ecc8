using System.Net;
using Consent.Core.Catalogue;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class CatalogueEditingFlowTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : CatalogueEditingFlowTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CatalogueEditingFlowTests(TestEngine.Postgres);

    [Fact]
    public async Task After_a_cookies_function_is_edited_the_cookie_policy_shows_the_new_text()
    {
        var catalogue = app.Services.GetRequiredService<CatalogueService>();
        var gid = (await catalogue.ListCookiesAsync()).Single(c => c.Name == "_gid (Google Analytics)");

        await catalogue.UpdateCookieAsync(gid.Id, new CookieInput
        {
            SupplierName = gid.Supplier,
            Name = gid.Name,
            CategoryKey = gid.CategoryKey,
            Duration = gid.Duration,
            Function = "Counts visits without identifying the visitor.",
        }, ConsentAppFactory.AdminEmail);
        var (response, page) = await client.GetPageAsync("/cookies");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = page.QuerySelectorAll("[data-testid=category-analytics] tbody tr").Single(r => r.TextContent.Contains(gid.Name));
        Assert.Equal("Counts visits without identifying the visitor.", row.QuerySelectorAll("td")[3].TextContent);
        Assert.DoesNotContain(gid.Function, page.Body!.TextContent);
    }
}
