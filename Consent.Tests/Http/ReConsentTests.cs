using System.Net;
using Consent.Core.Policies;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
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
        app = factory.WithWebHostBuilder(b => b.UseSetting("Consent:Admin:Password", AdminPassword));
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

    [Theory]
    [InlineData("/")]
    [InlineData("/cookies")]
    [InlineData("/preferences")]
    public async Task A_visitor_who_answered_version_1_sees_the_banner_again_with_what_changed_once_version_2_is_published(string path)
    {
        var choice = await client.PostChoiceAsync(BannerForm("accept"));
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

    private const string AdminPassword = "Correct horse battery staple 9";

    /// <summary>A client signed in through the real sign-in form, keeping its cookies.</summary>
    private async Task<HttpClient> SignedInClientAsync(string email, string password)
    {
        var signedIn = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var (_, login) = await signedIn.GetPageAsync("/account/login");
        var token = login.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var response = await signedIn.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["_handler"] = "login",
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return signedIn;
    }

    [Theory]
    [InlineData("/admin/policies", "Policy versions")]
    [InlineData("/admin/policies/1", "Policy version 1")]
    [InlineData("/admin/settings", "Settings")]
    public async Task A_signed_in_admin_gets_the_policy_and_settings_pages(string path, string heading)
    {
        using var admin = await SignedInClientAsync(ConsentAppFactory.AdminEmail, AdminPassword);

        var (response, page) = await admin.GetPageAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(heading, page.QuerySelector("h1")!.TextContent.Trim());
    }

    [Theory]
    [InlineData("/admin/policies", HttpStatusCode.Redirect)]
    [InlineData("/admin/settings", HttpStatusCode.Redirect)]
    [InlineData("/admin/policies/1", HttpStatusCode.OK)]
    public async Task An_analyst_may_read_a_version_but_not_publish_or_change_settings(string path, HttpStatusCode expected)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            var analyst = new IdentityUser { UserName = "analyst@example.org", Email = "analyst@example.org", EmailConfirmed = true };
            Assert.True((await users.CreateAsync(analyst, AdminPassword)).Succeeded);
            Assert.True((await users.AddToRoleAsync(analyst, TeamRoles.Analyst)).Succeeded);
        }
        using var client = await SignedInClientAsync("analyst@example.org", AdminPassword);

        var response = await client.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        if (expected == HttpStatusCode.Redirect) Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
    }
}
