using System.Text.RegularExpressions;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Consent.Tests.Support;

/// <summary>
/// The real app on a loopback port and a real headless Chromium (Debian's <c>chromium</c>, found
/// through CONSENT_CHROMIUM or the PATH; Playwright's own browser download does not work here).
/// Without a browser the tests say so and skip; in CI (CI set) they fail instead.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    private readonly List<IBrowserContext> visitors = [];
    private IPlaywright? playwright;

    public ConsentAppFactory App { get; private set; } = null!;
    /// <summary>Another website embedding the center's script; the app lists it in Consent:Sites.</summary>
    public EmbeddingSite EmbeddingSite { get; } = new();
    /// <summary>Every request the center receives from the browsers.</summary>
    public CenterRequests CenterRequests { get; } = new();
    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    public string? MissingBrowser { get; private set; }

    /// <summary>The real SMTP server the app sends its mail to, in this process.</summary>
    public SmtpInbox Mail { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var configured = Environment.GetEnvironmentVariable("CONSENT_CHROMIUM");
        var chromium = FindChromium(configured);
        if (chromium is null)
        {
            MissingBrowser = (string.IsNullOrEmpty(configured) ? "No Chromium on the PATH" : $"CONSENT_CHROMIUM={configured} does not exist") +
                ": install Debian's package (apt-get install chromium) or set CONSENT_CHROMIUM to a Chromium binary. Browser tests are required in CI.";
            return;
        }
        // The 2-core CI machine runs the app and Chromium side by side: give assertions room.
        Assertions.SetDefaultExpectTimeout(15_000);
        App = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite), realServer: true);
        await EmbeddingSite.StartAsync();
        App.Settings[$"Consent:Sites:{EmbeddingSite.SiteId}"] = EmbeddingSite.Origin;
        Mail = await SmtpInbox.StartAsync();
        foreach (var (key, value) in Mail.Settings()) App.Settings[key] = value;
        App.TestServices = services => services.AddSingleton<IStartupFilter>(CenterRequests);
        App.StartServer();
        BaseUrl = App.ClientOptions.BaseAddress.ToString().TrimEnd('/');
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    /// <summary>Call first in every browser test: skips (or, in CI, fails) loudly when there is no browser.</summary>
    public void RequireBrowser()
    {
        if (MissingBrowser is null) return;
        if (Environment.GetEnvironmentVariable("CI") is { Length: > 0 } ci && ci != "false" && ci != "0") Assert.Fail(MissingBrowser);
        Assert.Skip(MissingBrowser);
    }

    /// <summary>
    /// A fresh visitor: no cookies, JavaScript on or off, the browser's language (<c>fr-FR</c>) if given, and headers it
    /// sends with every request if given (a browser with Global Privacy Control on sends <c>Sec-GPC: 1</c>).
    /// </summary>
    public async Task<IPage> NewVisitorAsync(bool javaScript = true, string? locale = null, IDictionary<string, string>? headers = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            JavaScriptEnabled = javaScript,
            BaseURL = BaseUrl,
            Locale = locale,
            ExtraHTTPHeaders = headers,
        });
        lock (visitors) visitors.Add(context);
        return await context.NewPageAsync();
    }

    /// <summary>Closes the visitors' browsers (and so their server connections) at the end of a test.</summary>
    public async Task CloseVisitorsAsync()
    {
        IBrowserContext[] open;
        lock (visitors)
        {
            open = [.. visitors];
            visitors.Clear();
        }
        foreach (var context in open) await context.CloseAsync();
    }

    /// <summary>The records of the visitor whose consent cookie this page's browser holds.</summary>
    public async Task<List<ConsentRecord>> RecordsOfAsync(IPage page)
    {
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == ConsentCookie.Name);
        var visitorId = Regex.Match(Uri.UnescapeDataString(cookie.Value), @"^1\.([0-9a-f]{32})\.").Groups[1].Value;
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.ConsentRecords.AsNoTracking().Where(r => r.VisitorId == visitorId).ToListAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        playwright?.Dispose();
        if (App is not null) await App.DisposeAsync();
        if (Mail is not null) await Mail.DisposeAsync();
        await EmbeddingSite.DisposeAsync();
    }

    internal static string? FindChromium(string? configured)
    {
        if (!string.IsNullOrEmpty(configured)) return File.Exists(configured) ? configured : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator)
            .SelectMany(dir => new[] { "chromium", "chromium-browser", "google-chrome" }.Select(name => Path.Combine(dir, name)))
            .FirstOrDefault(File.Exists);
    }
}
