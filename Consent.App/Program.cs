using Consent.App;
using Consent.App.Api;
using Consent.App.Components;
using Consent.App.Components.Account;
using Consent.App.Endpoints;
using Consent.App.Headers;
using Consent.App.Members;
using Consent.App.RateLimits;
using Consent.App.Visitors;
using Consent.Core;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Mail;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Core.Snapshot;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MudBlazor.Services;

// verify-receipt checks a receipt offline, with no database and no configuration of the center: before anything reads either.
if (args is [ReceiptCommand.Name, ..])
{
    Environment.ExitCode = ReceiptCommand.Run(args[1..], Console.Out, Console.Error);
    return;
}

// Operators' one-off commands (docs/deployment.md): each prepares the database, does its work and exits.
var migrateOnly = args.Contains(CenterCommands.MigrateOnly);
var rotateCookieKey = args.Contains(CenterCommands.RotateConsentCookieKey);
var rotateLogKey = args.Contains(CenterCommands.RotateLogKey);
var verifyLog = args.Contains(CenterCommands.VerifyLog);
args = CenterCommands.Without(args);

var builder = WebApplication.CreateBuilder(args);

// SQLite in a file beside the app unless Consent:Database:Provider and ConnectionStrings:Consent say otherwise.
var database = ConsentDatabaseOptions.FromConfiguration(builder.Configuration, Path.Combine(builder.Environment.ContentRootPath, "consent.db"));
builder.Services.AddConsentCore(database, builder.Configuration.GetSection("Consent"));
// A relative Consent:Mail:PickupDirectory (Development's mail-pickup) is a folder beside the app, as the SQLite file is.
builder.Services.PostConfigure<MailOptions>(o => o.PickupDirectory = string.IsNullOrWhiteSpace(o.PickupDirectory) ? null
    : Path.GetFullPath(o.PickupDirectory, builder.Environment.ContentRootPath));
// Banner views are counted in memory; the last ones are stored when the app stops.
builder.Services.AddHostedService<BannerViewFlushing>();
// Other instances' changes (PostgreSQL LISTEN/NOTIFY) refresh what this one keeps in memory.
builder.Services.AddHostedService<ChangeListening>();
// A signed checkpoint of the log every Consent:Log:CheckpointMinutes when it grew, on every instance (one per tree size is kept).
builder.Services.AddSingleton<CheckpointSigning>();
builder.Services.AddHostedService(sp => sp.GetRequiredService<CheckpointSigning>());
// Records older than Consent:RetentionYears lose their visitor id, once a day.
builder.Services.AddHostedService<RetentionJob>();
// Members' retention (Consent:Members:Retention): inactive accounts warned then erased, offers opt-ins lapsed, every RunEveryHours.
builder.Services.AddHostedService<MemberRetentionJob>();
// Rights requests (Consent:Requests): the DPO's daily reminder of due and overdue requests, unverified requests and expired files purged.
builder.Services.AddHostedService<RequestReminderJob>();
// GET /health: 200 when the database answers a real query, 503 otherwise; nothing more is said.
builder.Services.AddHealthChecks()
    .AddDbContextCheck<ConsentDbContext>(customTestQuery: (db, ct) => db.PolicyVersions.AnyAsync(ct));

// Visitor pages in the visitor's language (Consent.Core/Languages); the team's center stays English.
builder.Services.AddLocalization();
builder.Services.Configure<RequestLocalizationOptions>(LanguageEndpoints.ConfigureRequestLocalization);

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents(o =>
    {
        // Only the team's center holds circuits, and the team is a handful of people: a few dozen dropped tabs are plenty to keep.
        o.DisconnectedCircuitMaxRetained = 50;
        // Long enough to ride out a Wi-Fi drop or a proxy reload; after that the page reloads, and its forms are short.
        o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(2);
        // A client that stops acknowledging renders (slow or hostile) holds at most this many in the server's memory.
        o.MaxBufferedUnacknowledgedRenderBatches = 10;
        // MudBlazor's calls into the browser answer in milliseconds; a browser that hangs frees the server sooner.
        o.JSInteropDefaultCallTimeout = TimeSpan.FromSeconds(30);
    })
    // The longest text the team types (a policy summary, 4,000 characters) fits; a bigger message is not one of ours.
    .AddHubOptions(o => o.MaximumReceiveMessageSize = 32 * 1024);
builder.Services.AddMudServices();
// The antiforgery cookie is declared in the catalogue under this name (CenterCookies); Secure on HTTPS.
builder.Services.AddAntiforgery(o =>
{
    o.Cookie.Name = CenterCookies.Antiforgery;
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
});
// And every other cookie the center sets, whoever sets it: Secure when the request came over HTTPS (also through the proxy).
builder.Services.AddCookiePolicy(o => o.Secure = CookieSecurePolicy.SameAsRequest);
// Content-Security-Policy, framing, nosniff, referrer and permissions policies, HSTS's year, Cache-Control of pages (Headers/).
builder.Services.AddSecurityHeaders();
// Each request read once (Visitors/VisitorRequest), first-visit pages from the output cache, banner views counted.
builder.Services.AddVisitorRequests();
// "Download my consent history" and "Erase my consent history", proved by the consent cookie alone.
builder.Services.AddConsentHistory();
// No antiforgery cookie on visitor pages: it would be an identifier before the first choice.
builder.Services.AddScoped<AntiforgeryStateProvider, OnDemandAntiforgeryStateProvider>();
builder.Services.AddProblemDetails();
// The HTTP API for other sites and the embedded script: CORS allow-list from Consent:Sites, OpenAPI document.
builder.Services.AddConsentApi();

// The privacy team signs in with ASP.NET Core Identity, on the same database as the consent log.
builder.Services.AddCascadingAuthenticationState();
builder.Services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
builder.Services.AddIdentityCore<IdentityUser>(o =>
    {
        // Length, not composition (NIST SP 800-63B): 12 characters at least, passphrases welcome.
        o.Password.RequiredLength = 12;
        o.Password.RequiredUniqueChars = 5;
        o.Password.RequireDigit = false;
        o.Password.RequireLowercase = false;
        o.Password.RequireUppercase = false;
        o.Password.RequireNonAlphanumeric = false;
        o.Lockout.MaxFailedAccessAttempts = 5;
        o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        o.Lockout.AllowedForNewUsers = true;
        o.User.RequireUniqueEmail = true;
    })
    .AddRoles<IdentityRole>()
    .AddEntityFrameworkStores<ConsentDbContext>()
    .AddSignInManager()
    .AddDefaultTokenProviders();
builder.Services.AddScoped<SignInService>();
// The community's members: their own Identity store and cookie scheme, apart from the team's (Members/).
builder.Services.AddMemberAccounts();
builder.Services.ConfigureApplicationCookie(o =>
{
    // Declared in the catalogue (CenterCookies); a session cookie, sent only to this site's own pages.
    o.Cookie.Name = CenterCookies.TeamSession;
    o.Cookie.HttpOnly = true;
    o.Cookie.SameSite = SameSiteMode.Strict;
    o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    o.ExpireTimeSpan = TimeSpan.FromHours(8);
    o.SlidingExpiration = true;
    o.LoginPath = "/account/login";
    o.LogoutPath = "/account/logout";
    o.AccessDeniedPath = "/account/denied";
});
// A removed account or a changed role takes effect within a minute, on requests and on open pages.
builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TeamRevalidatingStateProvider.Interval);
builder.Services.AddScoped<AuthenticationStateProvider, TeamRevalidatingStateProvider>();
builder.Services.AddAuthorizationBuilder()
    .AddPolicy(TeamPolicies.Read, p => p.RequireRole(TeamRoles.All.ToArray()))
    .AddPolicy(TeamPolicies.Manage, p => p.RequireRole(TeamRoles.Admin))
    .AddPolicy(TeamPolicies.Requests, p => p.RequireRole(TeamRoles.AnswerRequests.ToArray()));
// Behind a reverse proxy (TLS ended there), trust its X-Forwarded-* headers so the consent cookie is
// marked Secure, same-origin posts are recognised and rate limits count the real client. Only proxies listed here (loopback by default) are trusted.
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost | ForwardedHeaders.XForwardedFor;
    // A forwarded host must be one of AllowedHosts too (host filtering has already checked the Host header itself).
    var allowedHosts = (builder.Configuration["AllowedHosts"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    if (!allowedHosts.Contains("*")) o.AllowedHosts = allowedHosts;
    foreach (var proxy in builder.Configuration.GetSection("Consent:TrustedProxies").Get<string[]>() ?? [])
    {
        o.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address) ? address
            : throw new InvalidOperationException($"Consent:TrustedProxies has \"{proxy}\", which is not an IP address."));
    }
});

// Requests per client (and sign-in attempts per account) from Consent:RateLimits; addresses are kept in memory only.
builder.Services.AddConsentRateLimits(builder.Configuration.GetSection(RateLimitOptions.Section));

var app = builder.Build();

// Reads the database as it is: no migration, no seeding, no web server. 0 when the log verifies, 1 on a difference, 2 when unreadable.
if (verifyLog)
{
    Environment.ExitCode = await VerifyLogCommand.RunAsync(app.Services);
    return;
}

// Instances starting together take turns. The first Admin is made by an instance, never by a command whose log would keep its password.
await ConsentDatabase.InitializeAsync(app.Services, migrate: migrateOnly || database.MigrateOnStart, lastStep: migrateOnly || rotateCookieKey || rotateLogKey ? null : async () =>
{
    if (await FirstAdmin.EnsureAsync(app.Services, builder.Configuration.GetSection("Consent:Admin")) is { } firstAdmin)
    {
        // Printed, not logged: the generated password must not end up in a log store.
        Console.WriteLine(firstAdmin);
    }
});
if (migrateOnly)
{
    Console.WriteLine($"The {database.Provider} database is migrated and seeded; instances can start with Consent:Database:MigrateOnStart=false.");
    return;
}
if (rotateCookieKey)
{
    var signsFrom = await app.Services.GetRequiredService<ConsentCookie>().RotateKeyAsync();
    Console.WriteLine($"A new consent-cookie signing key signs from {signsFrom:u}; cookies signed before stay valid.");
    return;
}
if (rotateLogKey)
{
    var (verifier, signsFrom) = await app.Services.GetRequiredService<CheckpointService>().RotateKeyAsync();
    Console.WriteLine($"A new log key signs checkpoints from {signsFrom:u}: {verifier.KeyText}");
    Console.WriteLine("Checkpoints signed before still verify with the older keys, which /log/key keeps listing.");
    return;
}

// Catalogue, policy, settings and Consent Mode in memory before the first request: no visitor's request reads them from the database.
await app.Services.GetRequiredService<SnapshotService>().GetAsync();
if (app.Services.GetRequiredService<IOptions<MailOptions>>().Value.PickupDirectory is { } pickup)
{
    Console.WriteLine($"Mail is written to {pickup} (Consent:Mail:PickupDirectory), not sent.");
}

app.UseForwardedHeaders();
app.UseSecurityHeaders();
app.UseCookiePolicy();
// Before the error and not-found pages, so that they too are in the visitor's language.
app.UseRequestLocalization();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseVisitorRequests();

// Only the /api/v1 group carries the CORS policy; every other endpoint stays same-origin.
app.UseCors();
app.UseConsentRateLimits();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

// Fingerprinted files are immutable; the embedded script and its styles, loaded by other sites by name, are kept an hour.
app.MapStaticAssets().CacheEmbeddedScript();
app.MapHealthChecks("/health");
app.MapConsentForm();
app.MapConsentHistory();
// A member's data download and the one-click unsubscribe link of every e-mail (RFC 8058).
app.MapMemberPrivacy();
// The files a DPO's reply to a rights request links to, by an expiring token.
app.MapRequestFiles();
app.MapLanguageSwitch();
app.MapPrivacySignals();
app.MapDemoEmbeds();
app.MapConsentApi();
app.MapTransparencyLog();
app.MapReceiptDownload();
app.MapOpenApi();
app.MapTeamAccount();
app.MapConsentLogExport();
app.MapStatisticsExport();
app.MapLogCheckpointExport();
app.MapMemberAudienceExport();
app.MapRequestRegisterExport();
app.MapRazorComponents<App>()
    // Blazor's own "frame-ancestors 'self'" would be a second policy beside SecurityHeaders' one, which says 'none'.
    .AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = null);

app.Run();
