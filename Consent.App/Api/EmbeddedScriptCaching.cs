using Microsoft.AspNetCore.StaticAssets;

namespace Consent.App.Api;

/// <summary>
/// Other sites load <c>consent.js</c> and <c>consent.css</c> by their plain names, which carry no fingerprint, so the files
/// say how long a browser may keep them: a returning visitor then fetches neither, and a new script reaches visitors within that time.
/// </summary>
public static class EmbeddedScriptCaching
{
    public const string CacheControl = "public, max-age=3600";

    private static readonly string[] Routes = ["consent.js", "consent.css"];

    public static StaticAssetsEndpointConventionBuilder CacheEmbeddedScript(this StaticAssetsEndpointConventionBuilder assets)
    {
        assets.Add(endpoint =>
        {
            var route = endpoint.Metadata.OfType<StaticAssetDescriptor>().FirstOrDefault()?.Route;
            if (route is null || !Routes.Contains(route) || endpoint.RequestDelegate is not { } serve) return;
            // The file's own headers are written by the time the response starts; this one replaces their "no-cache".
            endpoint.RequestDelegate = http =>
            {
                http.Response.OnStarting(static state =>
                {
                    var response = (HttpResponse)state;
                    if (response.StatusCode is StatusCodes.Status200OK or StatusCodes.Status304NotModified) response.Headers.CacheControl = CacheControl;
                    return Task.CompletedTask;
                }, http.Response);
                return serve(http);
            };
        });
        return assets;
    }
}
