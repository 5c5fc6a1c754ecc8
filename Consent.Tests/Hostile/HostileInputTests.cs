using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Consent.Core.Persistence;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Hostile;

/// <summary>
/// The hostile-input corpus (hostile-inputs.json): malformed, oversized, deep, mistyped, forged and script-laden requests to
/// the form, the API and the team's endpoints. Each must be refused with its 4xx and a message saying why, and change
/// nothing in any table. One center serves the whole corpus, and every table is compared before and after each case.
/// </summary>
public sealed class HostileInputTests(HostileInputTests.Center center) : IClassFixture<HostileInputTests.Center>
{
    public static TheoryData<string> Cases => [.. Corpus.Value.Select(c => c.GetProperty("name").GetString()!)];

    private static readonly Lazy<List<JsonElement>> Corpus = new(() =>
    {
        using var file = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Hostile", "hostile-inputs.json")));
        return [.. file.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone())];
    });

    [Fact]
    public void The_corpus_has_at_least_150_cases_with_distinct_names()
    {
        var names = Corpus.Value.Select(c => c.GetProperty("name").GetString()).ToList();

        Assert.True(names.Count >= 150, $"{names.Count} cases");
        Assert.Equal(names.Count, names.Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_request_is_refused_with_a_clear_message_and_changes_nothing(string name)
    {
        var hostile = Corpus.Value.Single(c => c.GetProperty("name").GetString() == name);
        var before = await center.TablesAsync();

        using var response = await center.SendAsync(hostile);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == hostile.GetProperty("status").GetInt32(), $"{(int)response.StatusCode}: {body}");
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonDocument.Parse(body).RootElement : (JsonElement?)null;
        if (problem is { } p)
        {
            var said = string.Join(" ", Strings(p));
            Assert.True(said.Length > 40, $"Too little said: {said}");
            if (hostile.TryGetProperty("message", out var message)) Assert.Contains(message.GetString()!, said);
            if (hostile.TryGetProperty("field", out var field)) Assert.True(p.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field.GetString()!, out _), body);
        }
        else
        {
            // Only the sign-in page answers with itself (its field messages), and the framework for its missing token.
            Assert.StartsWith("team: sign-in", name);
            if (hostile.TryGetProperty("message", out var message)) Assert.Contains(message.GetString()!, WebUtility.HtmlDecode(body));
        }
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("cc_consent=", StringComparison.Ordinal)));
        var after = await center.TablesAsync();
        Assert.Equal(before, after);
    }

    private static IEnumerable<string> Strings(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => [element.GetString()!],
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p => Strings(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(Strings),
        _ => [],
    };

    /// <summary>One center for the whole corpus: policy version 2 in force (so version 1 is stale), two sites, the Admin signed in.</summary>
    public sealed class Center : IAsyncLifetime
    {
        private ConsentAppFactory app = null!;
        private HttpClient visitor = null!;
        private HttpClient admin = null!;

        public async ValueTask InitializeAsync()
        {
            app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
            app.Settings["Consent:Sites:docs"] = "https://docs.example.org";
            app.Settings["Consent:Sites:shop"] = "https://shop.example.org";
            app.Settings["Consent:RateLimits:Enabled"] = "false";
            visitor = app.CreateVisitorClient();
            admin = await app.SignedInAdminAsync();
            await using var db = await app.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
            db.PolicyVersions.Add(StoredPolicy.Version(2, app.Time.GetUtcNow().UtcDateTime, "A new analytics supplier."));
            await db.SaveChangesAsync();
            // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
            await app.Services.GetRequiredService<SnapshotService>().RefreshAsync();
        }

        public async ValueTask DisposeAsync()
        {
            visitor?.Dispose();
            admin?.Dispose();
            if (app is not null) await app.DisposeAsync();
        }

        public async Task<HttpResponseMessage> SendAsync(JsonElement hostile)
        {
            var line = hostile.GetProperty("request").GetString()!.Split(' ', 2);
            var request = new HttpRequestMessage(new HttpMethod(line[0]), line[1]);
            var content = Body(hostile);
            if (hostile.TryGetProperty("antiforgery", out var antiforgery) && antiforgery.GetBoolean())
            {
                // The sign-in form as a browser posts it: with the token of the page it was served in, and that page's cookie.
                var form = await visitor.GetAsync("/account/login");
                var token = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(await form.Content.ReadAsStringAsync())
                    .QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
                content = [.. content!, .. Encoding.ASCII.GetBytes($"&__RequestVerificationToken={Uri.EscapeDataString(token)}")];
                request.Headers.Add("Cookie", TeamSignIn.CookiePair(form, global::Consent.Core.Catalogue.CenterCookies.Antiforgery));
                request.Content = new ByteArrayContent(content);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            }
            if (content is not null && request.Content is null)
            {
                request.Content = new ByteArrayContent(content);
            }
            if (hostile.TryGetProperty("headers", out var headers))
            {
                foreach (var header in headers.EnumerateObject())
                {
                    if (header.Name == "Content-Type")
                    {
                        request.Content ??= new ByteArrayContent([]);
                        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(header.Value.GetString()!);
                    }
                    else
                    {
                        request.Headers.TryAddWithoutValidation(header.Name, header.Value.GetString());
                    }
                }
            }
            var signedIn = hostile.TryGetProperty("signedIn", out var s) && s.GetBoolean();
            return await (signedIn ? admin : visitor).SendAsync(request);
        }

        private static byte[]? Body(JsonElement hostile)
        {
            if (hostile.TryGetProperty("body", out var body)) return Encoding.UTF8.GetBytes(body.GetString()!);
            if (hostile.TryGetProperty("bodyBase64", out var raw)) return Convert.FromBase64String(raw.GetString()!);
            if (hostile.TryGetProperty("form", out var form))
            {
                return Encoding.ASCII.GetBytes(string.Join("&", form.EnumerateArray()
                    .Select(f => $"{Uri.EscapeDataString(f[0].GetString()!)}={Uri.EscapeDataString(f[1].GetString()!)}")));
            }
            if (hostile.TryGetProperty("repeat", out var repeat))
            {
                var text = new StringBuilder(repeat.GetProperty("prefix").GetString());
                var part = repeat.GetProperty("text").GetString();
                for (var i = repeat.GetProperty("times").GetInt32(); i > 0; i--) text.Append(part);
                return Encoding.UTF8.GetBytes(text.Append(repeat.GetProperty("suffix").GetString()).ToString());
            }
            return null;
        }

        /// <summary>Every table of the database and a hash of all its rows, to compare before and after a case.</summary>
        public async Task<Dictionary<string, string>> TablesAsync()
        {
            await using var connection = new SqliteConnection(app.Database.ConnectionString);
            await connection.OpenAsync();
            var tables = new List<string>();
            await using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
                await using var names = await list.ExecuteReaderAsync();
                while (await names.ReadAsync()) tables.Add(names.GetString(0));
            }
            var hashes = new Dictionary<string, string>();
            foreach (var table in tables)
            {
                await using var select = connection.CreateCommand();
                select.CommandText = $"SELECT * FROM \"{table}\" ORDER BY rowid";
                await using var rows = await select.ExecuteReaderAsync();
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var count = 0;
                while (await rows.ReadAsync())
                {
                    count++;
                    for (var i = 0; i < rows.FieldCount; i++) hash.AppendData(Encoding.UTF8.GetBytes((rows.IsDBNull(i) ? "∅" : Convert.ToString(rows.GetValue(i) is byte[] b ? Convert.ToHexString(b) : rows.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)) + "|"));
                }
                hashes[table] = $"{count} rows {Convert.ToHexString(hash.GetHashAndReset())[..16]}";
            }
            return hashes;
        }
    }
}
