using System.Diagnostics;
using System.Globalization;

/// <summary>
/// dotnet-counters following the center's <c>Microsoft.AspNetCore.Components.Server.Circuits</c> meter into a CSV file.
/// An up-down counter is a sum of the changes a listener sees, so it runs from before the first circuit.
/// </summary>
internal sealed class CircuitCounters : IAsyncDisposable
{
    private const string Meter = "Microsoft.AspNetCore.Components.Server.Circuits";
    private readonly Process process;
    private readonly string file;

    private CircuitCounters(Process process, string file) => (this.process, this.file) = (process, file);

    // System.Runtime's thirty-odd values a second fill dotnet-counters' write buffer within a second or two, so that the
    // circuit values reach the file soon after they are taken.
    public static async Task<CircuitCounters> StartAsync(int pid, string file)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "dotnet-counters", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--counters", Meter + ",System.Runtime",
            "--format", "csv", "-o", file, "--refresh-interval", "1" }) start.ArgumentList.Add(argument);
        var process = Process.Start(start)!;
        // It says so once the session with the center is open; circuits opened from then on are counted.
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.Contains("Starting a counter session", StringComparison.Ordinal)) break;
        }
        _ = process.StandardOutput.ReadToEndAsync();
        return new CircuitCounters(process, file);
    }

    /// <summary>Circuits the center holds now (connected or waiting for their browser to come back).</summary>
    public async Task<int> ActiveAsync()
    {
        // The third value reported after this call was taken after whatever the caller just did (one may be in flight).
        var seen = Read().Count;
        if (seen == 0)
        {
            // The meter reports nothing until the center has made its first circuit.
            await Task.Delay(TimeSpan.FromSeconds(5));
            if (Read().Count == 0) return 0;
        }
        var deadline = DateTime.UtcNow.AddSeconds(60);
        List<int> values;
        while ((values = Read()).Count < seen + 3)
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"dotnet-counters wrote no {Meter} values for a minute.");
            await Task.Delay(200);
        }
        return values[^1];
    }

    /// <summary>The values of aspnetcore.components.circuit.active written so far, oldest first.</summary>
    private List<int> Read()
    {
        var values = new List<int>();
        // The file appears with the first value the center reports.
        if (!File.Exists(file)) return values;
        using var reader = new StreamReader(new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
        while (reader.ReadLine() is { } line)
        {
            // Timestamp,Provider,Counter Name,Counter Type,Mean/Increment
            var fields = line.Split(',');
            if (fields.Length >= 5 && fields[1] == Meter && fields[2].StartsWith("aspnetcore.components.circuit.active", StringComparison.Ordinal)
                && double.TryParse(fields[^1], CultureInfo.InvariantCulture, out var value))
            {
                values.Add((int)value);
            }
        }
        return values;
    }

    public async ValueTask DisposeAsync()
    {
        // Every value is in the file already; "dotnet dotnet-counters" runs the tool as a child process.
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
    }
}
