using Microsoft.AspNetCore.OutputCaching;

namespace Consent.App.Visitors;

/// <summary>
/// A visitor page for someone without a consent cookie is the same bytes for everyone of a language and a privacy signal, so it is
/// rendered once and then served from ASP.NET Core's output cache, until the snapshot it was made from is replaced. Only the banner's
/// own layer parameter may be in the query (the page's forms carry the address back), so no one can fill the cache with addresses.
/// The browser still gets <c>private, no-store</c>: after a choice, "back" must fetch the page again, without the banner.
/// </summary>
public sealed class FirstVisitPages : IOutputCachePolicy
{
    public const string Tag = "first-visit-pages";

    public static readonly TimeSpan KeptFor = TimeSpan.FromMinutes(10);

    ValueTask IOutputCachePolicy.CacheRequestAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var http = context.HttpContext;
        var visitor = http.Features.Get<VisitorRequest>();
        var cacheable = visitor is not null
            && (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            && visitor.IsVisitorPage && !visitor.IsInteractive && !visitor.HoldsTokenForm
            && !visitor.HasConsentCookie
            && OnlyTheLayerInQuery(http.Request.Query)
            && !http.Request.Headers.ContainsKey("Authorization");
        context.EnableOutputCaching = cacheable;
        if (!cacheable) return ValueTask.CompletedTask;
        context.AllowCacheLookup = true;
        context.AllowCacheStorage = true;
        // Many first visitors at once wait for one render rather than each rendering the same page.
        context.AllowLocking = true;
        context.ResponseExpirationTimeSpan = KeptFor;
        context.Tags.Add(Tag);
        context.CacheVaryByRules.QueryKeys = Endpoints.ConsentFormEndpoints.LayerParameter;
        context.CacheVaryByRules.VaryByValues["language"] = visitor!.Language;
        context.CacheVaryByRules.VaryByValues["signal"] = visitor.Signal.ToString();
        context.CacheVaryByRules.VaryByValues["snapshot"] = visitor.Snapshot.Generation.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return ValueTask.CompletedTask;
    }

    ValueTask IOutputCachePolicy.ServeFromCacheAsync(OutputCacheContext context, CancellationToken cancellation) => ValueTask.CompletedTask;

    ValueTask IOutputCachePolicy.ServeResponseAsync(OutputCacheContext context, CancellationToken cancellation)
    {
        var response = context.HttpContext.Response;
        // Only the page everyone gets: never an error, never one that sets a cookie.
        if (response.StatusCode != StatusCodes.Status200OK || response.Headers.SetCookie.Count > 0) context.AllowCacheStorage = false;
        return ValueTask.CompletedTask;
    }

    private static bool OnlyTheLayerInQuery(IQueryCollection query)
    {
        if (query.Count == 0) return true;
        if (query.Count > 1 || !query.TryGetValue(Endpoints.ConsentFormEndpoints.LayerParameter, out var layer)) return false;
        return layer.Count == 1 && layer[0] is "customize" or "saved";
    }
}
