using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Deployment;

/// <summary>
/// The center killed as <c>kill -9</c> does, again and again, while clients post choices and retry every unanswered post
/// with its Idempotency-Key until it is answered. Afterwards every acknowledged choice is stored exactly once and nothing
/// else is. CI runs a few cycles; <c>bench/crash</c> runs many (CONSENT_CRASH_CYCLES) and prints the figures.
/// </summary>
public abstract class CrashSafetyTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : CrashSafetyTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : CrashSafetyTests(TestEngine.Postgres);

    private const int Clients = 8;
    private static readonly string[] Methods = ["accept-all", "reject-all", "custom"];
    private ScratchDatabase database = null!;

    public async ValueTask InitializeAsync() => database = await ScratchDatabase.CreateAsync(engine);

    public async ValueTask DisposeAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }

    private static int Cycles => int.TryParse(Environment.GetEnvironmentVariable("CONSENT_CRASH_CYCLES"), CultureInfo.InvariantCulture, out var n) ? n : 3;

    [Fact]
    public async Task Kill_9_under_load_loses_no_acknowledged_choice_and_stores_none_twice()
    {
        await using var server = new AppProcess(new Dictionary<string, string>
        {
            ["Consent__Database__Provider"] = database.Options.Provider.ToString(),
            ["ConnectionStrings__Consent"] = database.ConnectionString,
            ["Consent__Admin__Email"] = "privacy@example.org",
            ["Consent__Admin__Password"] = "correct horse battery staple",
            // One machine posts for all the clients: the per-client limits would refuse most of the load.
            ["Consent__RateLimits__Enabled"] = "false",
        });
        await server.StartAsync();
        var acknowledged = new ConcurrentDictionary<string, Guid>();
        var figures = new Figures();
        using var stop = new CancellationTokenSource();
        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(() => PostUntilStoppedAsync(server.BaseUrl, acknowledged, figures, stop.Token))).ToArray();

        var random = new Random(20261201);
        var clock = Stopwatch.StartNew();
        for (var cycle = 0; cycle < Cycles; cycle++)
        {
            // Long enough for the load to build up again after a start, at a moment nobody chose: in the middle of commits.
            await Task.Delay(random.Next(1500, 4000));
            await server.KillAsync();
            figures.Kills++;
            // A start on a busy machine, with eight clients knocking, may take a while: the test is about what is stored.
            await server.StartAsync(within: TimeSpan.FromMinutes(3));
        }
        // The last start must have served: wait until a choice is acknowledged after it, then let the clients finish.
        var sinceLastStart = acknowledged.Count;
        while (acknowledged.Count == sinceLastStart && clock.Elapsed < TimeSpan.FromMinutes(30)) await Task.Delay(50);
        stop.Cancel();
        await Task.WhenAll(clients);
        await server.KillAsync();

        await using var db = ConsentDbContextFactory.For(database.Options).CreateDbContext();
        var stored = await db.ConsentRecords.AsNoTracking().Select(r => r.Id).ToListAsync();
        var lost = acknowledged.Values.Count(id => !stored.Contains(id));
        var unacknowledged = stored.Count - acknowledged.Values.Distinct().Count(stored.Contains);
        var integrity = engine == TestEngine.Sqlite ? await IntegrityCheckAsync(database.ConnectionString) : "n/a";
        var report = $"{engine}: {figures.Kills} kills in {clock.Elapsed.TotalSeconds:F0} s, {figures.Posts} posts, {figures.Unanswered} unanswered and retried, " +
            $"{figures.ServerErrors} 5xx, {acknowledged.Count} acknowledged, {stored.Count} stored, {lost} lost, {unacknowledged} stored without acknowledgement " +
            $"(duplicates), {figures.Replayed} retries answered from the first attempt, integrity_check {integrity}";
        if (Environment.GetEnvironmentVariable("CONSENT_CRASH_REPORT") is { Length: > 0 } path) await File.AppendAllTextAsync(path, report + "\n");

        Assert.True(acknowledged.Count >= Cycles * 10, report);
        Assert.Equal(Cycles, figures.Kills);
        Assert.True(lost == 0, report);
        Assert.True(unacknowledged == 0, report);
        Assert.True(stored.Count == acknowledged.Count, report);
        Assert.True(figures.ServerErrors == 0, report + "\n" + server.Output);
        Assert.True(integrity is "ok" or "n/a", report);
    }

    /// <summary>One client: a new choice with a new key, posted until answered (the same key each time), then the next.</summary>
    private static async Task PostUntilStoppedAsync(string baseUrl, ConcurrentDictionary<string, Guid> acknowledged, Figures figures, CancellationToken stop)
    {
        using var http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromSeconds(1) }) { Timeout = TimeSpan.FromSeconds(10) };
        var random = new Random();
        while (!stop.IsCancellationRequested)
        {
            var key = Guid.NewGuid().ToString();
            var method = Methods[random.Next(Methods.Length)];
            var granted = method == "custom" ? """["analytics"]""" : "[]";
            var body = $$"""{"method":"{{method}}","source":"banner","policyVersion":1,"granted":{{granted}}}""";
            // Once posted, a choice is retried until answered even after the stop: an unanswered one may be stored.
            for (var attempt = 0; ; attempt++)
            {
                Interlocked.Increment(ref figures.Posts);
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl}/api/v1/consents") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
                    request.Headers.Add("Idempotency-Key", key);
                    using var response = await http.SendAsync(request, CancellationToken.None);
                    if (response.StatusCode == HttpStatusCode.Created)
                    {
                        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None))!["consentId"]!.GetValue<Guid>();
                        if (!acknowledged.TryAdd(key, id) && acknowledged[key] != id) throw new InvalidOperationException("One key, two answers.");
                        if (response.Headers.Contains("Idempotent-Replayed")) Interlocked.Increment(ref figures.Replayed);
                        break;
                    }
                    if ((int)response.StatusCode >= 500) Interlocked.Increment(ref figures.ServerErrors);
                    else throw new InvalidOperationException($"A choice was refused with {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // No answer: the server is down or was killed mid-request. Retry with the same key.
                    Interlocked.Increment(ref figures.Unanswered);
                }
                if (attempt > 3000) throw new TimeoutException("A choice went unanswered for five minutes.");
                await Task.Delay(100, CancellationToken.None);
            }
        }
    }

    private static async Task<string> IntegrityCheckAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        return (string)(await command.ExecuteScalarAsync())!;
    }

    private sealed class Figures
    {
        public int Kills;
        public int Posts;
        public int Unanswered;
        public int ServerErrors;
        public int Replayed;
    }
}
