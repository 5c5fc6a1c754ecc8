using Consent.App.Components;
using Consent.App.Endpoints;
using Consent.Core;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.AspNetCore.HttpOverrides;
using MudBlazor.Services;

var builder = WebApplication.CreateBuilder(args);

// The embedded default is a SQLite file beside the app; ConnectionStrings:Consent overrides it.
var connectionString = builder.Configuration.GetConnectionString("Consent")
    ?? $"Data Source={Path.Combine(builder.Environment.ContentRootPath, "consent.db")}";
builder.Services.AddConsentCore(connectionString, builder.Configuration.GetSection("Consent"));

builder.Services.AddRazorComponents()
    .AddInteractiveServerComponents();
builder.Services.AddMudServices();
// The antiforgery cookie is declared in the catalogue under this name (CenterCookies).
builder.Services.AddAntiforgery(o => o.Cookie.Name = CenterCookies.Antiforgery);
// No antiforgery cookie on visitor pages: it would be an identifier before the first choice.
builder.Services.AddHttpContextAccessor();
builder.Services.AddScoped<AntiforgeryStateProvider, OnDemandAntiforgeryStateProvider>();
builder.Services.AddProblemDetails();
// Behind a reverse proxy (TLS ended there), trust its X-Forwarded-* headers so the consent cookie is
// marked Secure and same-origin posts are recognised. Only proxies listed here (loopback by default) are trusted.
builder.Services.Configure<ForwardedHeadersOptions>(o =>
{
    o.ForwardedHeaders = ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
    foreach (var proxy in builder.Configuration.GetSection("Consent:TrustedProxies").Get<string[]>() ?? [])
    {
        o.KnownProxies.Add(System.Net.IPAddress.TryParse(proxy, out var address) ? address
            : throw new InvalidOperationException($"Consent:TrustedProxies has \"{proxy}\", which is not an IP address."));
    }
});

var app = builder.Build();

await ConsentDatabase.InitializeAsync(app.Services);

app.UseForwardedHeaders();

if (!app.Environment.IsDevelopment())
{
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
    app.UseHsts();
}
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);

app.UseAntiforgery();

app.MapStaticAssets();
app.MapConsentForm();
app.MapRazorComponents<App>()
    .AddInteractiveServerRenderMode();

app.Run();
