using System.Net;
using System.Reflection;
using Consent.App.Components.Admin;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.PrivacyTeam;

/// <summary>Every page and endpoint of the privacy-team center refuses whoever may not use it.</summary>
public abstract class TeamAccessTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : TeamAccessTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : TeamAccessTests(TestEngine.Postgres);

    private ConsentAppFactory app = null!;

    public async ValueTask InitializeAsync() => app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(engine));

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    /// <summary>The routes of every page component under /admin, with the policy it asks for (parameters filled with 1).</summary>
    public static IEnumerable<(string Path, string Policy)> AdminPages() =>
        typeof(DashboardPage).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (Route: r.Template, Type: t)))
            .Where(x => x.Route.StartsWith("/admin", StringComparison.OrdinalIgnoreCase))
            .Select(x => (
                System.Text.RegularExpressions.Regex.Replace(x.Route, @"\{[^}]+\}", "1"),
                x.Type.GetCustomAttributes<AuthorizeAttribute>().Select(a => a.Policy).FirstOrDefault(p => p is TeamPolicies.Manage or TeamPolicies.Requests) ?? TeamPolicies.Read))
            .Distinct();

    /// <summary>Endpoints under /admin that are not pages (exports), from the app's own routing table.</summary>
    private IReadOnlyList<RouteEndpoint> AdminEndpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/admin/", StringComparison.OrdinalIgnoreCase) == true)
            .Where(e => e.Metadata.GetMetadata<ComponentTypeMetadata>() is null)
            .ToList();

    [Fact]
    public void Every_admin_page_requires_a_team_policy()
    {
        var pages = AdminPages().ToList();
        Assert.Contains(pages, p => p.Path == "/admin");
        Assert.Contains(pages, p => p.Path == "/admin/accounts" && p.Policy == TeamPolicies.Manage);
        var unprotected = typeof(DashboardPage).Assembly.GetTypes()
            .Where(t => t.GetCustomAttributes<RouteAttribute>().Any(r => r.Template.StartsWith("/admin", StringComparison.OrdinalIgnoreCase)))
            .Where(t => !t.GetCustomAttributes<AuthorizeAttribute>(inherit: true).Any())
            .Select(t => t.Name).ToList();
        Assert.Empty(unprotected);
    }

    [Fact]
    public async Task An_anonymous_caller_is_sent_to_sign_in_from_every_admin_page_and_endpoint()
    {
        using var client = app.CreateTeamClient();
        var paths = AdminPages().Select(p => p.Path).Concat(AdminEndpoints().Select(e => e.RoutePattern.RawText!)).ToList();
        Assert.Contains("/admin/export/consents.csv", paths);
        foreach (var path in paths)
        {
            var response = await client.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path} answered {(int)response.StatusCode} to an anonymous caller");
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery);
        }
    }

    [Fact]
    public async Task An_analyst_reads_but_is_refused_every_page_that_changes_things()
    {
        using var analyst = await app.SignedInAnalystAsync();
        foreach (var (path, policy) in AdminPages())
        {
            var response = await analyst.GetAsync(path);
            if (policy is TeamPolicies.Manage or TeamPolicies.Requests)
            {
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{path} answered {(int)response.StatusCode} to an Analyst");
                Assert.StartsWith("/account/denied", response.Headers.Location!.PathAndQuery);
            }
            else if (!path.Contains("/1"))
            {
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode} to an Analyst");
            }
        }
    }

    [Fact]
    public async Task An_admin_opens_every_admin_page()
    {
        using var admin = await app.SignedInAdminAsync();
        foreach (var (path, _) in AdminPages().Where(p => !p.Path.Contains("/1")))
        {
            var response = await admin.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path} answered {(int)response.StatusCode} to an Admin");
        }
        var page = await admin.GetStringAsync("/admin");
        Assert.Contains(ConsentAppFactory.AdminEmail, page);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        using var admin = await app.SignedInAdminAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        var signedOut = await admin.SendAsync(request);
        Assert.Equal(HttpStatusCode.SeeOther, signedOut.StatusCode);

        var after = await admin.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Signing_out_ends_the_members_other_sessions_within_a_minute()
    {
        using var laptop = await app.SignedInAdminAsync();
        using var phone = await app.SignedInAdminAsync();

        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        await laptop.SendAsync(request);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var after = await phone.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task Sign_out_from_another_site_is_refused()
    {
        using var admin = await app.SignedInAdminAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/logout");
        request.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await admin.SendAsync(request)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/admin")).StatusCode);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_and_five_lock_the_account_without_saying_so()
    {
        using var client = app.CreateTeamClient();
        var wrong = await client.SignInAsync(ConsentAppFactory.AdminEmail, "not the password at all");
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        Assert.Contains("The email or the password is wrong", await wrong.Content.ReadAsStringAsync());

        for (var i = 0; i < 4; i++) await client.SignInAsync(ConsentAppFactory.AdminEmail, "not the password at all");
        var locked = await client.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);
        Assert.Equal(HttpStatusCode.OK, locked.StatusCode);
        var page = await locked.Content.ReadAsStringAsync();
        Assert.Contains(System.Net.WebUtility.HtmlEncode(Consent.App.Components.Account.LoginPage.Refused), page);
        Assert.DoesNotContain("locked until", page);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/admin")).StatusCode);
        Assert.NotNull((await app.Services.GetRequiredService<TeamAccounts>().ListAsync()).Single().LockedUntil);
    }

    [Fact]
    public async Task Sign_in_returns_only_to_a_page_of_the_center()
    {
        using var client = app.CreateTeamClient();
        var response = await client.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword, returnUrl: "https://evil.example/admin");
        var location = new Uri(new Uri("http://localhost/"), response.Headers.Location!);
        Assert.Equal("http://localhost/admin", location.ToString());
    }

    [Fact]
    public async Task Without_configuration_the_first_admin_gets_a_generated_password_that_signs_in()
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Microsoft.AspNetCore.Identity.IdentityUser>>();
            await users.DeleteAsync((await users.FindByEmailAsync(ConsentAppFactory.AdminEmail))!);
        }
        var empty = new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build();
        var line = await FirstAdmin.EnsureAsync(app.Services, empty);
        Assert.NotNull(line);
        var password = System.Text.RegularExpressions.Regex.Match(line, @"with the password (\S+) ").Groups[1].Value;
        Assert.True(password.Length >= 12, line);
        Assert.Null(await FirstAdmin.EnsureAsync(app.Services, empty));

        using var client = app.CreateTeamClient();
        var response = await client.SignInAsync(FirstAdmin.DefaultEmail, password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/accounts")).StatusCode);
    }
}
