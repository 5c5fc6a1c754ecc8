using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Consent.Tests.Support;

namespace Consent.Tests.Http;

/// <summary>The embeddable script and its style sheet, as the app serves them to another site's visitors.</summary>
public abstract class EmbeddedScriptAssetsTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : EmbeddedScriptAssetsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : EmbeddedScriptAssetsTests(TestEngine.Postgres);

    /// <summary>The issue's budget for consent.js and consent.css together, gzip-compressed.</summary>
    private const int BudgetBytes = 8 * 1024;

    protected override void Configure(IDictionary<string, string> settings)
    {
        // Serve the files compressed at build time, as a published app does. In Development, MapStaticAssets would
        // otherwise re-serve a file whose date differs from the build manifest gzip-wrapped without compression.
        settings["ReloadStaticAssetsAtRuntime"] = "false";
    }

    private async Task<(HttpResponseMessage Response, byte[] Body)> GetAsync(string path, bool gzip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (gzip) request.Headers.Add("Accept-Encoding", "gzip");
        var response = await client.SendAsync(request);
        return (response, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Script_and_style_sheet_are_served_gzip_compressed_within_8_KB_together()
    {
        var total = 0;
        foreach (var path in new[] { "/consent.js", "/consent.css" })
        {
            var (plain, source) = await GetAsync(path, gzip: false);
            var (compressed, transferred) = await GetAsync(path, gzip: true);

            Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
            Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
            Assert.Equal("gzip", Assert.Single(compressed.Content.Headers.ContentEncoding));
            await using var unzip = new GZipStream(new MemoryStream(transferred), CompressionMode.Decompress);
            var unzipped = new MemoryStream();
            await unzip.CopyToAsync(unzipped);
            Assert.Equal(source, unzipped.ToArray()); // really the file, gzip-encoded
            Assert.True(transferred.Length < source.Length, $"{path}: {transferred.Length} bytes compressed, {source.Length} plain.");
            total += transferred.Length;
        }

        Assert.True(total <= BudgetBytes, $"consent.js + consent.css are {total} bytes gzip-compressed; the budget is {BudgetBytes}.");
    }

    [Theory]
    [InlineData("/consent.js", false)]
    [InlineData("/consent.js", true)]
    [InlineData("/consent.css", false)]
    [InlineData("/consent.css", true)]
    public async Task Script_and_style_sheet_may_be_kept_by_a_browser_for_an_hour(string path, bool gzip)
    {
        var (response, _) = await GetAsync(path, gzip);

        Assert.Equal("public, max-age=3600", response.Headers.CacheControl!.ToString());
        Assert.NotNull(response.Headers.ETag); // afterwards a browser revalidates
    }

    [Fact]
    public async Task The_script_makes_no_request_to_any_origin_but_the_center_it_came_from()
    {
        var (_, script) = await GetAsync("/consent.js", gzip: false);
        var (_, css) = await GetAsync("/consent.css", gzip: false);

        var scriptText = Encoding.UTF8.GetString(script);
        var cssText = Encoding.UTF8.GetString(css);
        Assert.DoesNotMatch(new Regex("https?://", RegexOptions.IgnoreCase), scriptText + cssText);
        Assert.DoesNotMatch(new Regex(@"url\(|@import", RegexOptions.IgnoreCase), cssText);
        Assert.Contains("fetch(base + '/api/v1/'", scriptText); // requests go to the center the script came from
        Assert.Contains("href: base + '/consent.css'", scriptText);
    }
}
