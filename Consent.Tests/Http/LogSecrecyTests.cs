using System.Net;
using Consent.Core.Catalogue;
using Consent.Tests.Support;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>
/// What the app logs, at every level and with every structured value, scope and exception, as a log store would keep it:
/// the operator's events are there, and no password, cookie value, visitor id or client address is.
/// </summary>
public sealed class LogSecrecyTests : IAsyncLifetime
{
    private const string VisitorAddress = "203.0.113.77";
    private const string TeamAddress = "127.0.0.1";
    private const string WrongPassword = "hunter2 is not it, friend";
    private const string TypedByAStranger = "stranger.typed.this@example.net";

    private readonly CapturedLog log = new();
    private ConsentAppFactory app = null!;

    public async ValueTask InitializeAsync()
    {
        app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite)) { Log = log };
        app.Settings["Consent:RateLimits:Enabled"] = "true";
        app.Settings["Consent:RateLimits:Choices:PermitLimit"] = "1";
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private HttpClient From(string address, bool keepCookies)
    {
        var client = keepCookies ? app.CreateTeamClient() : app.CreateVisitorClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task Sign_ins_a_choice_and_a_refusal_log_their_events_and_nothing_secret()
    {
        using var team = From(TeamAddress, keepCookies: true);
        await team.SignInAsync(TypedByAStranger, WrongPassword);
        await team.SignInAsync(ConsentAppFactory.AdminEmail, WrongPassword);
        var signedIn = await team.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword);
        using var visitor = From(VisitorAddress, keepCookies: false);
        var chosen = await visitor.PostChoiceAsync(BannerForm("accept-all"));
        var refused = await visitor.PostChoiceAsync(BannerForm("reject-all"));

        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var events = log.Entries.Select(e => e.EventId.Name).ToList();
        Assert.Contains("SignInFailedUnknownAccount", events);
        Assert.Contains("SignInFailed", events);
        Assert.Contains("SignedIn", events);
        Assert.Contains("RateLimited", events);
        Assert.Contains("DatabasePreparing", events);

        var consentCookie = chosen.ConsentCookieValue();
        var secrets = new Dictionary<string, string>
        {
            ["the Admin's password"] = ConsentAppFactory.AdminPassword,
            ["a wrong password"] = WrongPassword,
            ["an email typed for no account"] = TypedByAStranger,
            ["the consent cookie"] = consentCookie,
            ["the visitor id"] = consentCookie.Split('.')[1],
            ["the team session cookie"] = TeamSignIn.CookiePair(signedIn, CenterCookies.TeamSession).Split('=', 2)[1],
            ["the visitor's address"] = VisitorAddress,
            ["the team member's address"] = TeamAddress,
        };
        var text = log.AllText;
        Assert.All(secrets, secret => Assert.False(text.Contains(secret.Value, StringComparison.OrdinalIgnoreCase), $"The log holds {secret.Key}:\n{text}"));
    }
}
