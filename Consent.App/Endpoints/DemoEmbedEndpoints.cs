namespace Consent.App.Endpoints;

/// <summary>
/// <c>GET /embed/video</c>: a stand-in for a third-party video player, served by the center itself so the demo
/// makes no request to another site. The home page embeds it behind a ConsentGate for "social-media", as a
/// real site would embed a video platform's player (which sets that platform's cookies).
/// </summary>
public static class DemoEmbedEndpoints
{
    public const string VideoPath = "/embed/video";

    /// <summary>The page's only style, inline: its hash is what the page's Content-Security-Policy allows (SecurityHeaders).</summary>
    public const string VideoStyle = """
        html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
        body { display: grid; place-items: center; background: #1f2937; color: #f9fafb; text-align: center; }
        .play { font-size: 3rem; line-height: 1; }
        p { margin: .5rem 1rem; }
        """;

    private const string VideoPage = $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8" />
        <title>Community video (demo player)</title>
        <style>{{VideoStyle}}</style>
        </head>
        <body>
        <div>
        <div class="play" aria-hidden="true">&#9654;</div>
        <p><strong>Community video</strong></p>
        <p>A demo player served by this site: it stands in for an embedded video platform and sets no cookie.</p>
        </div>
        </body>
        </html>
        """;

    public static IEndpointRouteBuilder MapDemoEmbeds(this IEndpointRouteBuilder app)
    {
        app.MapGet(VideoPath, () => TypedResults.Content(VideoPage, "text/html; charset=utf-8"));
        return app;
    }
}
