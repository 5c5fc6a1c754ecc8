using Consent.App.RateLimits;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Consent.Tests.Support;

/// <summary>The real app, in memory, on a database of its own, with a clock the test controls.</summary>
public sealed class ConsentAppFactory : WebApplicationFactory<Program>
{
    private readonly FakeTimeProvider? time;
    private readonly bool ownsDatabase = true;
    private int disposed;

    /// <summary>
    /// Serves the app on <paramref name="database"/> (deleted when the app is disposed) in memory on a clock the test
    /// controls, or (<paramref name="realServer"/>) on a real loopback port for a browser, on the real clock: a browser
    /// keeps cookies by the real date, and the app's own timers (banner-view flushes, the dashboard's throttled refresh)
    /// must run by themselves.
    /// </summary>
    public ConsentAppFactory(ScratchDatabase database, bool realServer = false)
    {
        if (realServer) UseKestrel(0);
        else time = new FakeTimeProvider(TestDatabase.Start);
        Database = database;
    }

    private ConsentAppFactory(ConsentAppFactory first)
    {
        time = new FakeTimeProvider(first.Time.GetUtcNow());
        Database = first.Database;
        ownsDatabase = false;
        Settings.Clear();
        foreach (var (key, value) in first.Settings) Settings[key] = value;
    }

    /// <summary>
    /// Another instance of the app on the same database and configuration, with memory of its own: the same center after
    /// a restart, or a second server behind the load balancer. It leaves the database to this one.
    /// </summary>
    public ConsentAppFactory AnotherInstance() => new(this);

    public ScratchDatabase Database { get; }

    /// <summary>The app's clock; only the in-memory app has one the test moves.</summary>
    public FakeTimeProvider Time => time ?? throw new InvalidOperationException("The app served to a browser runs on the real clock.");

    /// <summary>The first Admin, created from configuration as the README tells an operator to do.</summary>
    public const string AdminEmail = "privacy@example.org";
    public const string AdminPassword = "correct horse battery staple";

    /// <summary>
    /// More configuration (e.g. <c>Consent:Sites:docs</c>); set before the app is first used. Rate limits start off:
    /// many tests make hundreds of requests as one client. A test of the limits sets them, or removes the key to get the shipped ones.
    /// </summary>
    public Dictionary<string, string> Settings { get; } = new() { ["Consent:RateLimits:Enabled"] = "false" };

    /// <summary>Where the app writes its mail (a folder of its own, deleted with it), unless a test sends it to an <see cref="SmtpInbox"/>.</summary>
    public string MailPickup { get; } = Path.Combine(Path.GetTempPath(), $"consent-mail-{Guid.NewGuid():N}");

    /// <summary>Keeps everything the app logs, at every level, when set before the app is first used.</summary>
    public CapturedLog? Log { get; set; }

    /// <summary>Services a test puts in place of the app's own; set before the app is first used.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        foreach (var (key, value) in Database.AppSettings) builder.UseSetting(key, value);
        builder.UseSetting("Consent:Admin:Email", AdminEmail);
        builder.UseSetting("Consent:Admin:Password", AdminPassword);
        builder.UseSetting("Consent:Mail:PickupDirectory", MailPickup);
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        // Only warnings and errors: a failing test's message must not drown in start-up chatter in the CI log.
        // Data Protection's warning that no certificate protects its keys, and the one that rate limits are off, would be repeated by every test.
        builder.ConfigureLogging(logging => logging.AddFilter((category, level) => level >= (
            category?.StartsWith("Microsoft.AspNetCore.DataProtection", StringComparison.Ordinal) == true || category == typeof(RateLimitPolicies).FullName
                ? LogLevel.Error : LogLevel.Warning)));
        if (Log is { } log)
        {
            builder.ConfigureLogging(logging => logging.AddProvider(log).AddFilter<CapturedLog>(null, LogLevel.Trace));
        }
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<TimeProvider>(time ?? TimeProvider.System);
            TestServices?.Invoke(services);
        });
    }

    /// <summary>A client that shows redirects and cookies to the test instead of following them.</summary>
    public HttpClient CreateVisitorClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });

    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1) return;
        await base.DisposeAsync();
        if (ownsDatabase) await Database.DisposeAsync();
        if (Directory.Exists(MailPickup)) Directory.Delete(MailPickup, recursive: true);
    }
}
