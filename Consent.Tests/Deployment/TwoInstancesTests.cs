using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Deployment;

[Trait("Engine", "Postgres")]
[Collection(BrowserCollection.Name)] // not beside the browser tests: both load the two cores
public sealed class TwoInstancesTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private void RequireInstances()
    {
        if (instances.Missing is not null) ScratchDatabase.RequireServer();
    }

    /// <summary>Posts one choice through the API; returns the answer's status and, when acknowledged (201), the consent id.</summary>
    private static async Task<(HttpStatusCode Status, Guid? Id)> PostConsentAsync(AppProcess instance, int n)
    {
        var body = new { method = (n % 3) switch { 0 => "accept-all", 1 => "reject-all", _ => "custom" }, source = "banner", policyVersion = 1, granted = n % 3 == 2 ? new[] { "analytics" } : [] };
        using var response = await Http.PostAsJsonAsync($"{instance.BaseUrl}/api/v1/consents", body);
        if (response.StatusCode != HttpStatusCode.Created) return (response.StatusCode, null);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, json.RootElement.GetProperty("consentId").GetGuid());
    }

    private async Task<List<Guid>> StoredIdsAsync()
    {
        await using var db = ConsentDbContextFactory.For(instances.Database.Options).CreateDbContext();
        return await db.ConsentRecords.Select(r => r.Id).ToListAsync();
    }

    /// <summary>Signs the first Admin in on one instance; the session cookie is good on both (shared Data Protection keys).</summary>
    private async Task<string> TeamSessionAsync(AppProcess instance)
    {
        using var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(instance.BaseUrl) };
        var signedIn = await TeamSignIn.SignInAcrossAsync(client, client, TwoInstances.AdminEmail, TwoInstances.AdminPassword);
        return TeamSignIn.CookiePair(signedIn, CenterCookies.TeamSession);
    }

    /// <summary>The statistics export's Total row, as an instance's dashboard computes it.</summary>
    private static async Task<string[]> TotalsAsync(AppProcess instance, string session, DateOnly from, DateOnly to)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"{instance.BaseUrl}/admin/export/statistics.csv?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        request.Headers.Add("Cookie", session);
        var csv = await (await Http.SendAsync(request)).Content.ReadAsStringAsync();
        return csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last().TrimEnd('\r').Split(',');
    }

    [Fact]
    public async Task Every_acknowledged_consent_is_stored_exactly_once_when_an_instance_is_killed_under_load_and_both_dashboards_agree()
    {
        RequireInstances();
        var from = DateOnly.FromDateTime(DateTime.UtcNow);
        var acknowledged = new ConcurrentBag<(Guid Id, int Instance)>();
        var refused = new ConcurrentBag<HttpStatusCode>();
        var attempts = 0;
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var n = Interlocked.Increment(ref attempts);
                var target = n % 2;
                try
                {
                    var (status, id) = await PostConsentAsync(target == 0 ? instances.A : instances.B, n);
                    if (id is { } stored) acknowledged.Add((stored, target));
                    else refused.Add(status);
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // The instance is down or died mid-answer: nothing acknowledged, so the client may not count on it.
                    await Task.Delay(20);
                }
            }
        })).ToList();
        async Task WhenAcknowledged(int more, int? byInstance = null)
        {
            var target = acknowledged.Count(a => byInstance is null || a.Instance == byInstance) + more;
            var clock = Stopwatch.StartNew();
            while (acknowledged.Count(a => byInstance is null || a.Instance == byInstance) < target)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"Only {acknowledged.Count} consents acknowledged.\nA:\n{instances.A.Output}\nB:\n{instances.B.Output}");
                await Task.Delay(20);
            }
        }

        await WhenAcknowledged(200);
        await instances.A.KillAsync();
        await WhenAcknowledged(200, byInstance: 1);
        await instances.A.StartAsync();
        await WhenAcknowledged(200, byInstance: 0);
        await stop.CancelAsync();
        await Task.WhenAll(workers);

        var stored = await StoredIdsAsync();
        var storedOnce = stored.ToHashSet();
        Assert.Equal(stored.Count, storedOnce.Count);
        var session = await TeamSessionAsync(instances.B);
        var to = DateOnly.FromDateTime(DateTime.UtcNow);
        var totalsOfA = await TotalsAsync(instances.A, session, from, to);
        var totalsOfB = await TotalsAsync(instances.B, session, from, to);

        // Every answer an instance gave was an acknowledgement: a write that failed (a deadlock between the instances, say)
        // would be an error answer here, not a missing one.
        Assert.Empty(refused);
        Assert.All(acknowledged, a => Assert.Contains(a.Id, storedOnce));
        Assert.InRange(stored.Count, acknowledged.Count, attempts);
        Assert.Equal(totalsOfA, totalsOfB);
        Assert.Equal(stored.Count.ToString(CultureInfo.InvariantCulture), totalsOfB[6]);
    }

    [Fact]
    public async Task Changes_made_on_one_instance_reach_the_other_its_open_dashboard_its_cookie_policy_and_its_Consent_Mode_within_2_s()
    {
        RequireInstances();
        var chromium = BrowserSession.FindChromium(Environment.GetEnvironmentVariable("CONSENT_CHROMIUM"));
        if (chromium is null)
        {
            const string missing = "No Chromium: install Debian's package (apt-get install chromium) or set CONSENT_CHROMIUM. Browser tests are required in CI.";
            if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0") Assert.Fail(missing);
            Assert.Skip(missing);
        }
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var team = await browser.NewContextAsync();
        var dashboard = await team.NewPageAsync();
        await dashboard.GotoAsync($"{instances.B.BaseUrl}/admin");
        await dashboard.GetByLabel("Email").FillAsync(TwoInstances.AdminEmail);
        await dashboard.GetByLabel("Password").FillAsync(TwoInstances.AdminPassword);
        await dashboard.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await dashboard.WaitUntilTeamCenterInteractiveAsync();
        var decisions = dashboard.GetByTestId("metric-decisions").GetByTestId("value");
        var before = long.Parse((await decisions.TextContentAsync())!.Replace(",", ""), CultureInfo.InvariantCulture);

        Assert.NotNull((await PostConsentAsync(instances.A, 0)).Id);

        // No reload: the open dashboard on B hears of the record stored by A.
        await Expect(decisions).ToHaveTextAsync((before + 1).ToString("N0", CultureInfo.InvariantCulture), new() { Timeout = 5_000 });

        // The same session on A: cookies go by host, not port, and both instances read the keys in the database.
        var catalogue = await team.NewPageAsync();
        await catalogue.GotoAsync($"{instances.A.BaseUrl}/admin/catalogue");
        await catalogue.WaitUntilTeamCenterInteractiveAsync();
        await catalogue.GetByRole(AriaRole.Button, new() { Name = "Edit Locale by Gainsight" }).ClickAsync();
        var text = $"Remembers the language you chose (edited on instance A at {DateTime.UtcNow:HH:mm:ss.fff}).";
        await catalogue.GetByTestId("cookie-editor").GetByLabel("Function").FillAsync(text);
        await catalogue.GetByRole(AriaRole.Button, new() { Name = "Save cookie" }).ClickAsync();
        await Expect(catalogue.GetByTestId("cookie-grid")).ToContainTextAsync(text);
        await WithinTwoSecondsAsync(async () => (await Http.GetStringAsync($"{instances.B.BaseUrl}/cookies")).Contains(text, StringComparison.Ordinal),
            "The cookie edited on A did not show on B's /cookies");

        // B keeps the Consent Mode setting in memory: a change on A must reach it. Read once so that B holds a copy.
        const string gtagDefaults = "gtag('consent','default'";
        Assert.Contains(gtagDefaults, await Http.GetStringAsync($"{instances.B.BaseUrl}/"));
        var settings = await team.NewPageAsync();
        await settings.GotoAsync($"{instances.A.BaseUrl}/admin/settings");
        await settings.WaitUntilTeamCenterInteractiveAsync();
        await settings.GetByTestId("mode-off").ClickAsync();
        await settings.GetByRole(AriaRole.Button, new() { Name = "Save Google Consent Mode" }).ClickAsync();
        await Expect(settings.GetByTestId("consent-mode-saved")).ToBeVisibleAsync();
        await WithinTwoSecondsAsync(async () => !(await Http.GetStringAsync($"{instances.B.BaseUrl}/")).Contains(gtagDefaults, StringComparison.Ordinal),
            "Google Consent Mode turned off on A still showed on B's pages");
    }

    private static async Task WithinTwoSecondsAsync(Func<Task<bool>> seen, string otherwise)
    {
        var clock = Stopwatch.StartNew();
        while (!await seen())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{otherwise} within 2 s.");
            await Task.Delay(20);
        }
    }
}
