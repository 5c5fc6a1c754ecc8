using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Statistics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

/// <summary>
/// The log at scale, on a database <see cref="Seed"/> filled, with the real services in Release: the dashboard's figures for
/// the seeded year, a search of the log by consent id and by visitor id, the CSV export of a week and of a month as the
/// export endpoint writes it, the Release app's start-up until /health answers, and the write rate of
/// <see cref="ConsentService.RecordAsync"/> against an empty database. Prints a table.
/// </summary>
public static class Scale
{
    private const int Runs = 50;
    private const int Searches = 200;
    private const int Writers = 32;
    private static readonly TimeSpan WriteTime = TimeSpan.FromSeconds(10);

    public static async Task<int> RunAsync(string[] args)
    {
        var server = Environment.GetEnvironmentVariable("CONSENT_BENCH_POSTGRES") is { Length: > 0 } s ? s : null;
        var database = Seed.Target(server, args.Length > 0 ? args[0] : server is null ? "/tmp/consent-seed.db" : "consent_seed");
        if (args.Contains("--profile-export")) return await ProfileExportAsync(database);
        var rows = new Rows();
        (double PerSecond, double CpuMs) big;
        Console.WriteLine($"The log at scale on {database}, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, load average {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown")}\n");

        await using (var services = Seed.Services(database))
        {
            await ConsentDatabase.InitializeAsync(services);
            var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
            await using (var db = await dbFactory.CreateDbContextAsync())
            {
                Console.WriteLine($"{await db.ConsentRecords.LongCountAsync():N0} records\n");
                Console.WriteLine("| measure | p50 / rate | p95 / wall time | memory |");
                Console.WriteLine("| --- | --- | --- | --- |");
            }

            var statistics = services.GetRequiredService<StatisticsService>();
            var year = new StatisticsFilter(Seed.EndDay.AddDays(-365), Seed.EndDay.AddDays(-1));
            rows.Add(Timed("dashboard figures, 365 days (StatisticsService.GetReportAsync)", await TimeAsync(Runs, () => statistics.GetReportAsync(year))));

            var log = services.GetRequiredService<ConsentLog>();
            var samples = await SampleAsync(dbFactory, Searches);
            var i = 0;
            rows.Add(Timed("log search by consent id (ConsentLog.SearchAsync)", await TimeAsync(Searches, () => log.SearchAsync(samples[i++ % samples.Count].Id.ToString("D")))));
            rows.Add(Timed("log search by visitor id (ConsentLog.SearchAsync)", await TimeAsync(Searches, () => log.SearchAsync(samples[i++ % samples.Count].VisitorId))));

            var lastMonth = Seed.EndDay.AddMonths(-2);
            foreach (var (label, from, to) in new[] { ("a week", lastMonth, lastMonth.AddDays(6)), ("a month", lastMonth, lastMonth.AddMonths(1).AddDays(-1)) })
            {
                rows.Add(await ExportAsync($"CSV export of {label}, {from:yyyy-MM-dd}..{to:yyyy-MM-dd} (ConsentLog.ExportCsvAsync)", log, from, to));
            }

            rows.Add(await StartUpAsync(database));
            big = await WriteRateAsync(services);
            rows.Add(["writes, big database (ConsentService.RecordAsync, 32 callers)", $"{big.PerSecond:N0} /s", "", $"{big.CpuMs:N2} ms of CPU per write"]);
        }

        // The empty database is on the same engine as the big one.
        var emptyName = $"consent_scale_empty_{Guid.NewGuid():N}"[..28];
        var emptyPath = Path.Combine(Path.GetTempPath(), emptyName + ".db");
        var emptyDatabase = server is null ? new ConsentDatabaseOptions(DatabaseProvider.Sqlite, $"Data Source={emptyPath}") : Seed.Target(server, emptyName);
        try
        {
            await using var services = Seed.Services(emptyDatabase);
            await ConsentDatabase.InitializeAsync(services);
            var empty = await WriteRateAsync(services);
            rows.Add([$"writes, empty {emptyDatabase.Provider} database (same)", $"{empty.PerSecond:N0} /s", $"ratio big ÷ empty {big.PerSecond / empty.PerSecond:0.00}",
                $"{empty.CpuMs:N2} ms of CPU per write; ratio empty ÷ big {empty.CpuMs / big.CpuMs:0.00}"]);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
            foreach (var file in new[] { emptyPath, emptyPath + "-wal", emptyPath + "-shm" }) File.Delete(file);
            if (server is not null)
            {
                await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString);
                await admin.OpenAsync();
                await new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{emptyName}\" WITH (FORCE)", admin).ExecuteNonQueryAsync();
            }
        }

        Console.WriteLine($"load average at the end: {(File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "unknown")}\n");
        return 0;
    }

    /// <summary>
    /// Where the month's export spends its time: the query plan, then the same rows read by a bare data reader, read and
    /// materialized by EF Core, turned into log entries, written as before, and the whole export as it is now; one run each.
    /// </summary>
    private static async Task<int> ProfileExportAsync(ConsentDatabaseOptions database)
    {
        await using var services = Seed.Services(database);
        await ConsentDatabase.InitializeAsync(services);
        var dbFactory = services.GetRequiredService<IDbContextFactory<ConsentDbContext>>();
        var from = Seed.EndDay.AddMonths(-2);
        var to = from.AddMonths(1).AddDays(-1);
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.AddDays(1).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync();
        var query = db.ConsentRecords.AsNoTracking().Where(r => r.RecordedAt >= start && r.RecordedAt < end).OrderBy(r => r.RecordedAt).ThenBy(r => r.Id);
        var sql = query.ToQueryString();
        Console.WriteLine(sql + "\n");
        var select = sql[sql.IndexOf("SELECT", StringComparison.Ordinal)..];
        await db.Database.OpenConnectionAsync();
        System.Data.Common.DbCommand Command(string text)
        {
            var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = text;
            foreach (var (name, value) in new[] { ("@start", Convert(db, start)), ("@end", Convert(db, end)) })
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }
            return command;
        }
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var plan = await Command("EXPLAIN QUERY PLAN " + select).ExecuteReaderAsync();
            while (await plan.ReadAsync()) Console.WriteLine("plan: " + plan.GetString(3));
            Console.WriteLine();
        }

        async Task<(long Rows, double Seconds, double Cpu)> Once(Func<Task<long>> run)
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var rows = await run();
            return (rows, clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds);
        }

        var steps = new List<(string, (long Rows, double Seconds, double Cpu))>
        {
            ("data reader, every column read, nothing made of it", await Once(async () =>
            {
                long n = 0;
                await using var reader = await Command(select).ExecuteReaderAsync();
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                    n++;
                }
                return n;
            })),
            ("EF Core query, records materialized", await Once(async () =>
            {
                long n = 0;
                await foreach (var _ in query.AsAsyncEnumerable()) n++;
                return n;
            })),
            ("... and each made a ConsentLogEntry", await Once(async () =>
            {
                long n = 0;
                await foreach (var r in query.AsAsyncEnumerable()) n += ConsentLogEntry.Of(r).Granted.Count >= 0 ? 1 : 0;
                return n;
            })),
            ("... and written as the export did before (StringBuilder per row, WriteLineAsync, a flush per 1,000)", await Once(async () =>
            {
                await using var writer = new StreamWriter(new CountingStream(), new UTF8Encoding(false), bufferSize: 16 * 1024);
                var line = new StringBuilder();
                long n = 0;
                await foreach (var record in query.AsAsyncEnumerable())
                {
                    var e = ConsentLogEntry.Of(record);
                    line.Clear();
                    line.AppendJoin(',',
                        e.ConsentId.ToString("D"), e.VisitorId, Utc(e.RecordedAt), Utc(e.ExpiresAt), e.PolicyVersion.ToString(CultureInfo.InvariantCulture),
                        e.Method, e.Source, ConsentLog.Csv(string.Join(' ', e.Granted)), ConsentLog.Csv(string.Join(' ', e.Denied)),
                        ConsentLog.Csv(e.Language), ConsentLog.Csv(e.BrowserFamily), ConsentLog.Csv(e.Site ?? ""));
                    await writer.WriteLineAsync(line);
                    if (++n % 1000 == 0) await writer.FlushAsync();
                }
                return n;
            })),
            ("the whole export now (ConsentLog.ExportCsvAsync)", await Once(async () =>
            {
                await using var writer = new StreamWriter(new CountingStream(), new UTF8Encoding(false), bufferSize: 16 * 1024);
                return await services.GetRequiredService<ConsentLog>().ExportCsvAsync(from, to, "bench", writer);
            })),
        };
        // On a shared machine the wall time is mostly waiting for a core; the CPU time is the work.
        Console.WriteLine("| step | rows | wall s | CPU s (this process) | rows per CPU s |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (var (step, (rows, seconds, cpu)) in steps) Console.WriteLine($"| {step} | {rows:N0} | {seconds:N1} | {cpu:N1} | {rows / cpu:N0} |");
        return 0;
    }

    private static string Utc(DateTime at) => DateTime.SpecifyKind(at, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A time as the engine stores it (microseconds on SQLite).</summary>
    private static object Convert(ConsentDbContext db, DateTime at) =>
        db.Model.FindEntityType(typeof(ConsentRecord))!.FindProperty(nameof(ConsentRecord.RecordedAt))!.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider(at)! : at;

    /// <summary>The table's rows, each printed as it is added (a long run shows its figures as it goes).</summary>
    private sealed class Rows : List<string[]>
    {
        public new void Add(string[] row)
        {
            base.Add(row);
            Console.WriteLine($"| {string.Join(" | ", row)} |");
        }
    }

    private static string[] Timed(string label, (List<double> Ms, double CpuMs) times) =>
        [label, $"p50 {Percentile(times.Ms, 0.50):N1} ms", $"p95 {Percentile(times.Ms, 0.95):N1} ms", $"{times.CpuMs:N1} ms of CPU per call"];

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    /// <summary>Times each call after three warm-up calls; with the process's CPU time per call, since on a shared machine a call mostly waits for a core.</summary>
    private static async Task<(List<double> Ms, double CpuMs)> TimeAsync<T>(int runs, Func<Task<T>> call)
    {
        for (var w = 0; w < 3; w++) await call();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var times = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var clock = Stopwatch.StartNew();
            await call();
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        return (times, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / runs);
    }

    /// <summary>Records spread over the year: the one at or after each of evenly spaced moments.</summary>
    private static async Task<List<(Guid Id, string VisitorId)>> SampleAsync(IDbContextFactory<ConsentDbContext> dbFactory, int count)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        var start = Seed.EndDay.AddDays(-365).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var random = new Random(11);
        var samples = new List<(Guid, string)>();
        for (var n = 0; n < count; n++)
        {
            var at = start.AddSeconds(random.NextDouble() * TimeSpan.FromDays(365).TotalSeconds);
            var r = await db.ConsentRecords.AsNoTracking().Where(r => r.RecordedAt >= at).OrderBy(r => r.RecordedAt)
                .Select(r => new { r.Id, r.VisitorId }).FirstAsync();
            samples.Add((r.Id, r.VisitorId!));
        }
        return samples;
    }

    /// <summary>
    /// The export as <c>GET /admin/export/consents.csv</c> runs it (the same writer over the response body, here a stream that
    /// counts bytes), with the managed heap and the working set sampled every 20 ms.
    /// </summary>
    private static async Task<string[]> ExportAsync(string label, ConsentLog log, DateOnly from, DateOnly to)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(true);
        long peakHeap = 0, peakWorkingSet = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            using var process = Process.GetCurrentProcess();
            while (!stop.IsCancellationRequested)
            {
                peakHeap = Math.Max(peakHeap, GC.GetTotalMemory(false));
                process.Refresh();
                peakWorkingSet = Math.Max(peakWorkingSet, process.WorkingSet64);
                await Task.Delay(20, CancellationToken.None);
            }
        });
        var body = new CountingStream();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long records;
        await using (var writer = new StreamWriter(body, new UTF8Encoding(false), bufferSize: 16 * 1024))
        {
            records = await log.ExportCsvAsync(from, to, "bench", writer);
        }
        var elapsed = clock.Elapsed;
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        await stop.CancelAsync();
        await sampler;
        return [label, $"{records:N0} rows, {records / elapsed.TotalSeconds:N0} rows/s, {body.Length / 1e6:N0} MB",
            $"{elapsed.TotalSeconds:N1} s ({cpuSeconds:N1} s of CPU)", $"heap {heapBefore / 1e6:N0} → peak {peakHeap / 1e6:N0} MB, working set peak {peakWorkingSet / 1e6:N0} MB"];
    }

    /// <summary>The Release app (<c>dotnet Consent.App.dll</c>, Production) on the database, from its start until /health answers 200; three starts.</summary>
    private static async Task<string[]> StartUpAsync(ConsentDatabaseOptions database)
    {
        var root = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
        var app = Path.Combine(root, "Consent.App", "bin", "Release", "net10.0", "Consent.App.dll");
        if (!File.Exists(app)) throw new FileNotFoundException($"Build the app in Release first (bench/scale does): {app} is missing.");
        var times = new List<double>();
        for (var n = 0; n < 3; n++)
        {
            var port = FreePort();
            var start = new ProcessStartInfo("dotnet", [app, "--urls", $"http://127.0.0.1:{port}"])
            {
                WorkingDirectory = Path.Combine(root, "Consent.App"),
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["Logging__LogLevel__Default"] = "Warning";
            start.Environment["Consent__Database__Provider"] = database.Provider.ToString();
            start.Environment["ConnectionStrings__Consent"] = database.ConnectionString;
            start.Environment["Consent__Admin__Email"] = "privacy@example.org";
            start.Environment["Consent__Admin__Password"] = "correct horse battery staple";
            var output = new StringBuilder();
            var clock = Stopwatch.StartNew();
            using var process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            while (true)
            {
                if (process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(90))
                {
                    lock (output) throw new InvalidOperationException($"The app did not answer /health:\n{output}");
                }
                try
                {
                    // As the host it is configured for (AllowedHosts: localhost).
                    if ((await http.GetAsync($"http://localhost:{port}/health")).StatusCode == HttpStatusCode.OK) break;
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    // Not listening yet.
                }
                await Task.Delay(20);
            }
            times.Add(clock.Elapsed.TotalMilliseconds);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
        return ["start-up of the Release app until /health answers 200 (3 starts)", $"{times.Order().ElementAt(1) / 1000:N2} s (median)",
            string.Join(", ", times.Select(t => $"{t / 1000:N2} s")), ""];
    }

    /// <summary>Choices recorded per second by <see cref="Writers"/> callers at once, each a new visitor, for <see cref="WriteTime"/> after a warm-up.</summary>
    private static async Task<(double PerSecond, double CpuMs)> WriteRateAsync(IServiceProvider services)
    {
        var consents = services.GetRequiredService<ConsentService>();
        var version = (await services.GetRequiredService<PolicyService>().GetCurrentAsync()).Number;
        var visitor = new VisitorContext(null, "fr-FR,fr;q=0.9", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36");
        ConsentSubmission Choice() => new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = version };
        for (var w = 0; w < 100; w++) await consents.RecordAsync(Choice(), visitor);

        long recorded = 0;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < WriteTime)
            {
                var outcome = await consents.RecordAsync(Choice(), visitor);
                if (outcome.Kind != ConsentOutcomeKind.Recorded) throw new InvalidOperationException($"A choice was not recorded: {outcome.Kind}");
                Interlocked.Increment(ref recorded);
            }
        })));
        return (recorded / clock.Elapsed.TotalSeconds, (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / recorded);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>A response body that keeps nothing and counts what it was given.</summary>
    private sealed class CountingStream : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => length;
        public override long Position { get => length; set => throw new NotSupportedException(); }

        private long length;

        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => length += buffer.Length;
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}
