using System.Net;
using Consent.Core.Policies;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

public class ReConsentTests : IAsyncLifetime
{
    private const string Summary = "We added a video supplier to Social media + embedded videos.";

    private ConsentAppFactory factory = null!;
    private WebApplicationFactory<Program> app = null!;
    private HttpClient client = null!;

    public ValueTask InitializeAsync()
    {
        factory = new ConsentAppFactory();
        // The shared factory's Admin password lacks the digit and capital Identity asks for by default; this one has both.
        app = factory.WithWebHostBuilder(b => b.UseSetting("Consent:Admin:Password", "Correct horse battery staple 9"));
        client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        client.Dispose();
        await factory.DisposeAsync();
    }

    private Task PublishVersion2Async() =>
        app.Services.GetRequiredService<PolicyService>()
            .PublishAsync(new PolicyPublication { Summary = Summary, ChangedCategories = ["social-media"] }, ConsentAppFactory.AdminEmail);

    [Fact]
    public async Task A_visitor_who_answered_version_1_sees_the_banner_again_with_what_changed_once_version_2_is_published()
    {
        var choice = await client.PostChoiceAsync(BannerForm("accept"));
        var (_, before) = await client.GetPageAsync("/", choice.ConsentCookieValue());
        Assert.Null(before.QuerySelector("#cc-banner"));

        await PublishVersion2Async();
        var (response, page) = await client.GetPageAsync("/", choice.ConsentCookieValue());

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
        var first = await client.PostChoiceAsync(BannerForm("accept"));
        await PublishVersion2Async();

        var again = await client.PostChoiceAsync(BannerForm("reject", policyVersion: 2), first.ConsentCookieValue());
        var (_, page) = await client.GetPageAsync("/", again.ConsentCookieValue());

        Assert.Equal(HttpStatusCode.SeeOther, again.StatusCode);
        Assert.Null(page.QuerySelector("#cc-banner"));
    }

    [Theory]
    [InlineData("/admin/policies")]
    [InlineData("/admin/policies/1")]
    [InlineData("/admin/settings")]
    public async Task The_policy_and_settings_pages_send_an_anonymous_caller_to_sign_in(string path)
    {
        var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
    }
}
