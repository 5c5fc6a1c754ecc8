using System.Text.Json;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Log;

/// <summary>The signed checkpoints as the team reads them: the newest, and the whole history to download.</summary>
public sealed class LogCheckpointHistory(IDbContextFactory<ConsentDbContext> dbFactory)
{
    public async Task<LogCheckpoint?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LogCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);
    }

    public async Task<int> CountAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LogCheckpoints.CountAsync(ct);
    }

    /// <summary>
    /// Every checkpoint, oldest first, as a JSON array of objects (treeSize, rootHash, keyName, signedAt, note, timestampToken;
    /// the hashes and the token in base64), streamed: the history grows by one every ten minutes for years.
    /// </summary>
    public async Task WriteJsonAsync(Stream output, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        await foreach (var c in db.LogCheckpoints.AsNoTracking().OrderBy(c => c.TreeSize).AsAsyncEnumerable().WithCancellation(ct))
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
            if (json.BytesPending > 16 * 1024) await json.FlushAsync(ct);
        }
        json.WriteEndArray();
        await json.FlushAsync(ct);
    }
}
