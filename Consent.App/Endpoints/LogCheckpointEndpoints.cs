using System.Text.Json;
using Consent.App.RateLimits;
using Consent.Core.Log.Checkpoints;
using Consent.Core.PrivacyTeam;

namespace Consent.App.Endpoints;

/// <summary><c>GET /admin/export/checkpoints.json</c>: the log's signed checkpoints for the team, oldest first (the Log integrity page's download).</summary>
public static class LogCheckpointEndpoints
{
    public const string ExportPath = "/admin/export/checkpoints.json";

    private const int Page = 1000;

    public static IEndpointRouteBuilder MapLogCheckpointExport(this IEndpointRouteBuilder app)
    {
        // A link the browser follows: without a session it goes to the sign-in page like every /admin page.
        app.MapGet(ExportPath, ExportAsync).RequireAuthorization(TeamPolicies.Read).AllowCookieRedirect().RequireRateLimiting(RateLimitPolicies.Exports);
        return app;
    }

    /// <summary>
    /// A JSON array of objects (treeSize, rootHash, keyName, signedAt, note, timestampToken; hashes and token in base64), streamed a
    /// page at a time: the history grows by one every ten minutes for years.
    /// </summary>
    public static async Task<IResult> ExportAsync(HttpContext http, CheckpointService checkpoints, CancellationToken ct)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.ContentDisposition = "attachment; filename=\"log-checkpoints.json\"";
        http.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(http.Response.Body, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        var after = -1L;
        while (await checkpoints.HistoryAsync(after, Page, ct) is { Count: > 0 } page)
        {
            foreach (var c in page)
            {
                json.WriteStartObject();
                json.WriteNumber("treeSize", c.TreeSize);
                json.WriteBase64String("rootHash", c.RootHash);
                json.WriteString("keyName", c.KeyName);
                json.WriteString("signedAt", DateTime.SpecifyKind(c.SignedAt, DateTimeKind.Utc));
                json.WriteString("note", c.Note);
                if (c.TimestampToken is { } token) json.WriteBase64String("timestampToken", token);
                else json.WriteNull("timestampToken");
                json.WriteEndObject();
            }
            await json.FlushAsync(ct);
            after = page[^1].TreeSize;
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
        return Results.Empty;
    }
}
