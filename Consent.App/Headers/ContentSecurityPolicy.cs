using System.Security.Cryptography;
using System.Text;
using Consent.App.Endpoints;

namespace Consent.App.Headers;

/// <summary>
/// This response's Content-Security-Policy. A page adds what it writes inline while it renders (App.razor: the Consent
/// Mode script by its hash, the import map by the nonce); <see cref="SecurityHeaders"/> sends the policy when the
/// response starts. Nothing is allowed from another origin, and nothing runs through eval.
/// </summary>
public sealed class ContentSecurityPolicy
{
    // First of the statics: the policies below are made with Hash.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Hashes = new(StringComparer.Ordinal);

    /// <summary>What a response that is not a page (an API answer, a file, a problem) may do as a document: nothing.</summary>
    public const string ForOthers = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The demo player (<see cref="DemoEmbedEndpoints.VideoPath"/>): its one inline style, and framed only by the
    /// center's own pages.
    /// </summary>
    public static readonly string ForVideoEmbed =
        $"default-src 'none'; style-src {Hash(DemoEmbedEndpoints.VideoStyle)}; base-uri 'none'; form-action 'none'; frame-ancestors 'self'";

    private readonly List<string> scriptHashes = [];
    private string? nonce;

    /// <summary>
    /// A random value, new for every response, for the inline script Blazor itself writes on interactive pages (the
    /// import map). Made on first use, so a response that needs none carries none.
    /// </summary>
    public string Nonce => nonce ??= Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// Allows this one inline script by its SHA-256 hash: unlike a nonce it stays right when the same page is served
    /// again from a cache.
    /// </summary>
    public void AllowInlineScript(string script) => scriptHashes.Add(Hash(script));

    /// <summary>The policy of a page of the center.</summary>
    /// <param name="interactive">An interactive server page (MudBlazor): Blazor's and MudBlazor's scripts, the circuit's WebSocket.</param>
    /// <param name="sitePage">A page of the site (not the team's center), which may frame the center's own embeds.</param>
    public string ForPage(bool interactive, bool sitePage)
    {
        var scripts = new List<string>();
        if (interactive) scripts.Add("'self'");
        if (nonce is not null) scripts.Add($"'nonce-{nonce}'");
        scripts.AddRange(scriptHashes);
        var policy = new StringBuilder("default-src 'none'; ");
        policy.Append("script-src ").AppendJoin(' ', scripts.Count > 0 ? scripts : ["'none'"]).Append("; ");
        // MudBlazor writes style attributes and a <style> of its theme, also from the circuit: they have no nonce to carry.
        policy.Append(interactive ? "style-src 'self' 'unsafe-inline'; " : "style-src 'self'; ");
        policy.Append("img-src 'self'; ");
        if (interactive) policy.Append("connect-src 'self'; ");
        if (sitePage) policy.Append("frame-src 'self'; ");
        policy.Append("form-action 'self'; base-uri 'self'; frame-ancestors 'none'");
        return policy.ToString();
    }

    /// <summary>A CSP hash source for an inline script or style: <c>'sha256-…'</c> of its UTF-8 text.</summary>
    public static string Hash(string text)
    {
        if (Hashes.TryGetValue(text, out var hash)) return hash;
        hash = $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";
        // The same few Consent Mode scripts on every page: hashed once each.
        if (Hashes.Count < 512) Hashes[text] = hash;
        return hash;
    }
}
