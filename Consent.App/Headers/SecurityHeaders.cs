using Consent.App.Components;
using Consent.App.Endpoints;
using Consent.App.Visitors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Components.Routing;

namespace Consent.App.Headers;

/// <summary>
/// The headers every response carries (pages, endpoints, files, error and not-found pages, problems), set in this one
/// place just before the response starts, whatever produced it: the Content-Security-Policy and framing for what the
/// response is, nosniff, the referrer and permissions policies, and Cache-Control of the center's pages. HSTS is
/// UseHsts's, with its lifetime set here.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Full addresses within the center, nothing to other sites: no other site learns which page of the center a
    /// visitor read, and the center's own form posts keep their Origin header, which its same-site checks read.
    /// </summary>
    public const string ReferrerPolicy = "same-origin";

    /// <summary>Powerful features the center never uses (and Topics, the browser's interest tracking), refused to its pages and anything they frame.</summary>
    public const string PermissionsPolicy =
        "accelerometer=(), autoplay=(), browsing-topics=(), camera=(), display-capture=(), encrypted-media=(), " +
        "fullscreen=(), geolocation=(), gyroscope=(), hid=(), idle-detection=(), local-fonts=(), magnetometer=(), " +
        "microphone=(), midi=(), payment=(), picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), " +
        "serial=(), usb=(), xr-spatial-tracking=()";

    /// <summary>
    /// Every page holds its reader's state (the Consent Mode update, the banner or not, a team member's data), so no
    /// cache may keep it. The one rule for all pages: a page that is the same for everyone is let through here.
    /// </summary>
    public const string PageCacheControl = "private, no-store";

    public static IServiceCollection AddSecurityHeaders(this IServiceCollection services)
    {
        services.AddScoped<ContentSecurityPolicy>();
        // A year, for this host only: the center may sit on an organisation's domain whose other hosts it does not
        // run (so no includeSubDomains), and preloading is the domain owner's choice, slow to undo (so no preload).
        services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false;
            o.Preload = false;
        });
        // Framing is answered once, below; antiforgery's X-Frame-Options: SAMEORIGIN on the team's pages would contradict it.
        services.Configure<AntiforgeryOptions>(o => o.SuppressXFrameOptionsHeader = true);
        return services;
    }

    /// <summary>First in the pipeline, so that error pages and answers cut short by a middleware carry the headers too.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Response.OnStarting(static state =>
            {
                Apply((HttpContext)state);
                return Task.CompletedTask;
            }, context);
            return next(context);
        });

    private static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = ReferrerPolicy;
        headers["Permissions-Policy"] = PermissionsPolicy;
        if (context.GetEndpoint()?.Metadata.GetMetadata<ComponentTypeMetadata>() is not null)
        {
            var teamPage = OnDemandAntiforgeryStateProvider.IsTeamPath(context.Request.Path);
            var policy = context.RequestServices.GetRequiredService<ContentSecurityPolicy>();
            // The Consent Mode script App renders: known from the request alone, so a page from the output cache gets its hash too.
            if (context.Features.Get<VisitorRequest>()?.ConsentModeScript is { } consentMode) policy.AllowInlineScript(consentMode);
            headers.ContentSecurityPolicy = policy.ForPage(interactive: context.AcceptsInteractiveRouting(), sitePage: !teamPage);
            headers.XFrameOptions = "DENY";
            headers.CacheControl = PageCacheControl;
        }
        else if (context.Request.Path.Equals(DemoEmbedEndpoints.VideoPath, StringComparison.OrdinalIgnoreCase))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy.ForVideoEmbed;
            headers.XFrameOptions = "SAMEORIGIN";
        }
        else
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy.ForOthers;
            headers.XFrameOptions = "DENY";
        }
    }
}
