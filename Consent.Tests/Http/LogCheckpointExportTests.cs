using System.Net;
using System.Text.Json;
using Consent.App.Endpoints;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>GET /admin/export/checkpoints.json: the signed checkpoints for the team, oldest first; a link that needs a session.</summary>
public class LogCheckpointExportTests() : AppTest(TestEngine.Sqlite)
{
    [Fact]
    public async Task An_analyst_downloads_every_checkpoint_with_its_signed_note_oldest_first()
    {
        using var key = NoteSigner.Generate("consent.example.org/log");
        var notes = new List<string>();
        await using (var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync())
        {
            foreach (var size in new long[] { 7, 3 })
            {
                var root = Enumerable.Repeat((byte)size, 32).ToArray();
                var note = new Checkpoint(key.Name, size, root).Sign(key);
                notes.Add(note);
                db.LogCheckpoints.Add(new LogCheckpoint { TreeSize = size, RootHash = root, Note = note, KeyName = key.Name, SignedAt = new DateTime(2026, 11, 29, 10, (int)size, 0, DateTimeKind.Utc) });
            }
            await db.SaveChangesAsync();
        }
        using var analyst = await app.SignedInAnalystAsync();

        var response = await analyst.GetAsync(LogCheckpointEndpoints.ExportPath);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var checkpoints = json.RootElement.EnumerateArray().ToList();
        Assert.Equal([3L, 7L], checkpoints.Select(c => c.GetProperty("treeSize").GetInt64()));
        Assert.Equal(notes[1], checkpoints[0].GetProperty("note").GetString());
        Assert.Equal("2026-11-29T10:03:00Z", checkpoints[0].GetProperty("signedAt").GetString());
        Assert.Equal(JsonValueKind.Null, checkpoints[0].GetProperty("timestampToken").ValueKind);
        Assert.Equal(3L, Checkpoint.Parse(SignedNote.Open(checkpoints[0].GetProperty("note").GetString()!, [key.Verifier]).Text).TreeSize);
    }

    [Fact]
    public async Task Without_a_session_the_download_goes_to_the_sign_in_page()
    {
        using var anonymous = app.CreateTeamClient();

        var response = await anonymous.GetAsync(LogCheckpointEndpoints.ExportPath);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location?.AbsolutePath);
    }
}
