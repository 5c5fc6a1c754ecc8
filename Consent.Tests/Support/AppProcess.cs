using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Consent.Tests.Support;

/// <summary>
/// The center as an operator runs it: its own process (<c>dotnet Consent.App.dll</c>, the build beside this test's), on a
/// loopback port of its own, configured by environment variables. It can be killed as <c>kill -9</c> does and started again.
/// </summary>
public sealed class AppProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly StringBuilder output = new();
    private Process? process;

    public int Port { get; } = FreePort();
    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>What the process printed, for a failing test's message.</summary>
    public string Output
    {
        get
        {
            lock (output) return output.ToString();
        }
    }

    /// <summary>Starts the process; returns once /health answers 200 (within 90 s, or <paramref name="within"/>).</summary>
    public async Task StartAsync(TimeSpan? within = null)
    {
        var limit = within ?? TimeSpan.FromSeconds(90);
        process = Launch(environment, ["--urls", BaseUrl], Append);

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < limit)
        {
            if (process.HasExited) throw new InvalidOperationException($"The app exited with {process.ExitCode} on start:\n{Output}");
            try
            {
                if ((await http.GetAsync($"{BaseUrl}/health")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"The app on port {Port} did not answer /health within {limit.TotalSeconds:F0} s:\n{Output}");
    }

    /// <summary>Runs one of the operator's commands (<c>--migrate-only</c>…) to its end: its exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var output = new StringBuilder();
        var command = string.Join(' ', arguments);
        using var process = Launch(environment, arguments, line =>
        {
            lock (output) output.AppendLine(line);
        });
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} did not end within 90 s:\n{output}");
        }
        // The last lines arrive after the exit: wait for the end of both streams.
        process.WaitForExit();
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static Process Launch(IReadOnlyDictionary<string, string> environment, string[] arguments, Action<string> print)
    {
        var app = AppDirectory();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(app, "Consent.App.dll"), .. arguments])
        {
            // The project folder is the content root, as for `dotnet run`: wwwroot and appsettings are there.
            WorkingDirectory = Path.GetFullPath(Path.Combine(app, "..", "..", "..")),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore.DataProtection"] = "Error";
        // Every request comes from one loopback client here; a test of the limits turns them on again.
        start.Environment["Consent__RateLimits__Enabled"] = "false";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) print(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) print(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Ends the process at once, as <c>kill -9</c>: no request finishes, no shutdown code runs.</summary>
    public async Task KillAsync()
    {
        if (process is null || process.HasExited) return;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }

    private void Append(string line)
    {
        lock (output) output.AppendLine(line);
    }

    /// <summary>Consent.App's own build output, beside this test project's (same configuration and framework).</summary>
    private static string AppDirectory()
    {
        var tests = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var framework = Path.GetFileName(tests);
        var configuration = Path.GetFileName(Path.GetDirectoryName(tests)!);
        var root = Path.GetFullPath(Path.Combine(tests, "..", "..", "..", ".."));
        var app = Path.Combine(root, "Consent.App", "bin", configuration, framework);
        return File.Exists(Path.Combine(app, "Consent.App.dll")) ? app
            : throw new FileNotFoundException($"Consent.App is not built at {app}: build the solution first.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
