using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Consent.Core.Statistics;
using Microsoft.AspNetCore.OutputCaching;
using Microsoft.Extensions.Options;

namespace Consent.App.Visitors;

/// <summary>
/// Reads every request once into a <see cref="VisitorRequest"/>, serves first-visit pages from the output cache
/// (<see cref="FirstVisitPages"/>), and counts each banner a visitor is shown, whether the page was rendered or came from the cache.
/// </summary>
public static class VisitorRequests
{
    public static IServiceCollection AddVisitorRequests(this IServiceCollection services)
    {
        services.AddHttpContextAccessor();
        // Components and endpoints take it as a service; it is the one built for this request below.
        services.AddScoped(sp => sp.GetRequiredService<IHttpContextAccessor>().HttpContext?.Features.Get<VisitorRequest>()
            ?? throw new InvalidOperationException("A VisitorRequest exists only while a request is answered (UseVisitorRequests)."));
        services.AddOutputCache(o =>
        {
            o.AddBasePolicy(b => b.AddPolicy<FirstVisitPages>(), excludeDefaultPolicy: true);
            // A page is a few tens of kilobytes, and only paths × languages × signals × layers are kept: far below this.
            o.SizeLimit = 64 * 1024 * 1024;
        });
        services.AddSingleton<FirstVisitPages>();
        return services;
    }

    /// <summary>
    /// After localization and the error pages' re-execution (each re-executed request is read again), before the output cache.
    /// </summary>
    public static IApplicationBuilder UseVisitorRequests(this WebApplication app)
    {
        var snapshots = app.Services.GetRequiredService<SnapshotService>();
        var consents = app.Services.GetRequiredService<ConsentService>();
        var bannerViews = app.Services.GetRequiredService<BannerViewCounter>();
        var options = app.Services.GetRequiredService<IOptions<ConsentOptions>>().Value;
        // Cached first-visit pages name the snapshot they were made from; a new one makes the old pages useless, so they go.
        var store = app.Services.GetRequiredService<IOutputCacheStore>();
        snapshots.Replaced += _ => store.EvictByTagAsync(FirstVisitPages.Tag, CancellationToken.None).AsTask();
        app.Use(async (http, next) =>
        {
            var visitor = new VisitorRequest(http, snapshots.Current, consents, options);
            http.Features.Set(visitor);
            await next(http);
            if (ShowedBanner(http, visitor)) bannerViews.Count(visitor.Snapshot.PolicyVersion, visitor.Language);
        });
        app.UseOutputCache();
        return app;
    }

    /// <summary>
    /// "Banner shown": a visitor page answered 200 to a GET, to a visitor with no decision in force and no honoured privacy signal,
    /// not for the second layer (the same banner opened further). Counted without any identifier, under the language it was shown in.
    /// </summary>
    private static bool ShowedBanner(HttpContext http, VisitorRequest visitor) =>
        HttpMethods.IsGet(http.Request.Method)
        && http.Response.StatusCode == StatusCodes.Status200OK
        && visitor.IsVisitorPage
        && visitor.Layer != "customize"
        && visitor.Consent.ShowsBanner;
}
