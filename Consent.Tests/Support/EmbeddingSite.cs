using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Consent.Tests.Support;

/// <summary>
/// Another website on its own loopback port, as a site owner's would be: it serves plain HTML pages that embed the
/// center's script. Its origin uses the name "localhost" while the center is reached at 127.0.0.1, so the browser
/// treats the two as different sites (third-party cookies and all). Started before the app, whose Consent:Sites lists it.
/// </summary>
public sealed class EmbeddingSite : IAsyncDisposable
{
    public const string SiteId = "embedding-test";

    private readonly ConcurrentDictionary<string, string> pages = new();
    private WebApplication? app;

    public string Origin { get; private set; } = "";

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        app = builder.Build();
        app.Run(async context =>
        {
            if (!pages.TryGetValue(context.Request.Path.Value ?? "", out var html))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html);
        });
        await app.StartAsync();
        Origin = $"http://localhost:{new Uri(app.Urls.First()).Port}";
    }

    /// <summary>Serves <paramref name="html"/> at <paramref name="path"/>; returns the page's address.</summary>
    public string Serve(string path, string html)
    {
        pages[path] = html;
        return Origin + path;
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }
}
