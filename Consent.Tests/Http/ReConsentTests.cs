using System.Net;
using Consent.Core.Policies;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public abstract class ReConsentTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : ReConsentTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ReConsentTests(TestEngine.Postgres);

    private const string Summary = "We added a video supplier to Social media + embedded videos.";

    private Task PublishVersion2Async() =>
        app.Services.GetRequiredService<PolicyService>()
            .PublishAsync(new PolicyPublication { Summary = Summary, ChangedCategories = ["social-media"] }, ConsentAppFactory.AdminEmail);

    [Theory]
    [InlineData("/")]
    [InlineData("/cookies")]
    [InlineData("/preferences")]
    public async Task A_visitor_who_answered_version_1_sees_the_banner_again_with_what_changed_once_version_2_is_published(string path)
    {
        var choice = await client.PostChoiceAsync(BannerForm("accept-all"));
        var (_, before) = await client.GetPageAsync(path, choice.ConsentCookieValue());
        Assert.Null(before.QuerySelector("#cc-banner"));

        await PublishVersion2Async();
        var (response, page) = await client.GetPageAsync(path, choice.ConsentCookieValue());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var banner = page.QuerySelector("section#cc-banner");
        Assert.NotNull(banner);
        var changed = banner.QuerySelector("[data-testid=policy-changes]");
        Assert.NotNull(changed);
        Assert.Contains("What changed", changed.TextContent);
        Assert.Contains(Summary, changed.TextContent);
        Assert.Contains("Category concerned: Social media + embedded videos.", changed.TextContent);
        Assert.Equal("2", banner.QuerySelector("input[name=policyVersion]")!.GetAttribute("value"));
    }

    [Fact]
    public async Task A_first_time_visitor_after_a_new_version_sees_the_banner_without_change_text()
    {
        await PublishVersion2Async();

        var (_, page) = await client.GetPageAsync("/");

        Assert.NotNull(page.QuerySelector("#cc-banner"));
        Assert.Null(page.QuerySelector("[data-testid=policy-changes]"));
        Assert.DoesNotContain(Summary, page.Body!.TextContent);
    }

    [Fact]
    public async Task The_returning_visitors_new_choice_answers_version_2_and_ends_the_banner()
    {
        var first = await client.PostChoiceAsync(BannerForm("accept-all"));
        await PublishVersion2Async();

        var again = await client.PostChoiceAsync(BannerForm("reject-all", policyVersion: 2), first.ConsentCookieValue());
        var (_, page) = await client.GetPageAsync("/", again.ConsentCookieValue());

        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Null(page.QuerySelector("#cc-banner"));
    }

    [Fact]
    public async Task A_signed_in_admin_reads_a_version_and_the_list()
    {
        using var admin = await app.SignedInAdminAsync();

        var (version, versionPage) = await admin.GetPageAsync("/admin/policies/1");
        var (list, listPage) = await admin.GetPageAsync("/admin/policies");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (version.StatusCode, list.StatusCode));
        Assert.Equal("Policy version 1", versionPage.QuerySelector("h1")!.TextContent.Trim());
        Assert.Equal("Policy versions", listPage.QuerySelector("h1")!.TextContent.Trim());
    }

    [Fact]
    public async Task An_analyst_following_a_log_record_reads_the_version_it_answered()
    {
        using var analyst = await app.SignedInAnalystAsync();

        var (response, page) = await analyst.GetPageAsync("/admin/policies/1");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(page.QuerySelector("[data-testid=snapshot-functional] table"));
    }
}
