using AngleSharp.Html.Parser;
using Consent.Core.Catalogue;
using Consent.Core.PrivacyTeam;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>Signing in to the privacy-team center the way a browser does: the login form, its token and its cookies.</summary>
public static class TeamSignIn
{
    /// <summary>A client that keeps cookies (as a browser) and shows redirects to the test.</summary>
    public static HttpClient CreateTeamClient(this ConsentAppFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Posts the login form; returns the response (303/302 to the return address on success, the form again otherwise).</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password, string returnUrl = "/admin")
    {
        var path = $"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}";
        var form = new HtmlParser().ParseDocument(await client.GetStringAsync(path));
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("The login page has no antiforgery token.");
        return await client.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login",
            ["__RequestVerificationToken"] = token,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        }));
    }

    /// <summary>
    /// Signs in on <paramref name="postTo"/> with the login form <paramref name="formFrom"/> served, carrying its
    /// antiforgery cookie by hand (the two may be different instances); clients that keep no cookies. Returns the answer.
    /// </summary>
    public static async Task<HttpResponseMessage> SignInAcrossAsync(HttpClient formFrom, HttpClient postTo, string email, string password)
    {
        var form = await formFrom.GetAsync("/account/login");
        var token = new HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync())
            .QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value")
            ?? throw new InvalidOperationException("The login page has no antiforgery token.");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login?returnUrl=%2Fadmin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["_handler"] = "login",
                ["__RequestVerificationToken"] = token,
                ["Input.Email"] = email,
                ["Input.Password"] = password,
            }),
        };
        request.Headers.Add("Cookie", CookiePair(form, CenterCookies.Antiforgery));
        return await postTo.SendAsync(request);
    }

    /// <summary>The <c>name=value</c> of a cookie the response sets, as a browser would send it back.</summary>
    public static string CookiePair(HttpResponseMessage response, string name) =>
        response.Headers.GetValues("Set-Cookie").Single(v => v.StartsWith(name + "=", StringComparison.Ordinal)).Split(';')[0];

    /// <summary>A signed-in client of the first Admin (from the factory's configuration).</summary>
    public static async Task<HttpClient> SignedInAdminAsync(this ConsentAppFactory app)
    {
        var client = app.CreateTeamClient();
        var response = await client.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);
        if ((int)response.StatusCode is not (302 or 303)) throw new InvalidOperationException($"The Admin could not sign in: {(int)response.StatusCode}.");
        return client;
    }

    /// <summary>Adds a member with a role and a known password, straight through Identity.</summary>
    public static async Task CreateMemberAsync(this ConsentAppFactory app, string email, string role, string password)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        var created = await users.CreateAsync(user, password);
        if (!created.Succeeded) throw new InvalidOperationException(string.Join(" ", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
    }

    public const string AnalystEmail = "analyst@example.org";
    public const string AnalystPassword = "analyst password 1234";

    public static async Task<HttpClient> SignedInAnalystAsync(this ConsentAppFactory app)
    {
        await app.CreateMemberAsync(AnalystEmail, TeamRoles.Analyst, AnalystPassword);
        var client = app.CreateTeamClient();
        var response = await client.SignInAsync(AnalystEmail, AnalystPassword);
        if ((int)response.StatusCode is not (302 or 303)) throw new InvalidOperationException($"The Analyst could not sign in: {(int)response.StatusCode}.");
        return client;
    }
}
