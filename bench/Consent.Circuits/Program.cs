using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

// bench/circuits: what a Blazor circuit costs the running center, measured from outside its process so that the center
// needs no endpoint for it. Headless Chromium opens the privacy team's dashboard in K tabs; dotnet-gcdump forces a full
// collection and reads the managed heap before and after; dotnet-counters follows the circuit meter, also while visitor
// pages are open. Environment: CIRCUITS_URL, CIRCUITS_PID, CIRCUITS_EMAIL, CIRCUITS_PASSWORD, CIRCUITS_TABS (20),
// CIRCUITS_WORK (a folder for the dumps and the meter's CSV), CONSENT_CHROMIUM (else chromium on the PATH). Run from the repository root,
// where the tool manifest brings dotnet-counters and dotnet-gcdump.
var baseUrl = Required("CIRCUITS_URL");
var pid = int.Parse(Required("CIRCUITS_PID"), CultureInfo.InvariantCulture);
var email = Required("CIRCUITS_EMAIL");
var password = Required("CIRCUITS_PASSWORD");
var tabs = int.Parse(Environment.GetEnvironmentVariable("CIRCUITS_TABS") ?? "20", CultureInfo.InvariantCulture);
var work = Required("CIRCUITS_WORK");
string[] visitorPages = ["/", "/cookies", "/privacy", "/preferences", "/?cc=customize"];

var chromium = FindChromium() ?? throw new InvalidOperationException(
    "No Chromium: apt-get install chromium, or set CONSENT_CHROMIUM to a Chromium binary.");
await using var counters = await CircuitCounters.StartAsync(pid, Path.Combine(work, "circuits.csv"));
using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

// The team's center: one signed-in browser, a first tab that warms the server up, then K more tabs, one circuit each.
var team = await browser.NewContextAsync(new() { BaseURL = baseUrl });
var first = await team.NewPageAsync();
await first.GotoAsync("/account/login?returnUrl=%2Fadmin");
await first.GetByLabel("Email").FillAsync(email);
await first.GetByLabel("Password").FillAsync(password);
await first.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
await first.WaitForURLAsync(new Regex("/admin$"));
await InteractiveAsync(first);
Progress("signed in, first dashboard interactive");
var before = await HeapAsync("before");
var circuitsBefore = await counters.ActiveAsync();
var rssBefore = Rss();
for (var i = 0; i < tabs; i++) await InteractiveAsync(await OpenAsync(team, "/admin"));
Progress($"{tabs} more dashboards interactive");
var after = await HeapAsync("after");
var circuitsAfter = await counters.ActiveAsync();
var rssAfter = Rss();
await team.CloseAsync();

// Visitors: every visitor page, each in a browser of its own with JavaScript on, kept open while the meter is read.
var visitorsBefore = await counters.ActiveAsync();
var visitors = new List<(string Path, int Circuits)>();
foreach (var path in visitorPages)
{
    var visitor = await browser.NewContextAsync(new() { BaseURL = baseUrl });
    await OpenAsync(visitor, path);
    Progress($"visitor page {path} loaded");
    // A circuit, if the page opens one, is up a moment after the page has loaded; ActiveAsync waits for three more reports.
    await Task.Delay(TimeSpan.FromSeconds(2));
    visitors.Add((path, await counters.ActiveAsync() - visitorsBefore));
    Progress($"visitor page {path}: meter read");
    await visitor.CloseAsync();
    Progress($"visitor page {path}: closed");
    // Closing the browser drops the connection; the circuit then waits out its retention period, so later pages start from a new baseline.
    visitorsBefore = await counters.ActiveAsync();
}

var perCircuit = (after - before) / (double)tabs;
Console.WriteLine();
Console.WriteLine($"Team dashboard (`/admin`), {tabs} tabs after a first one, one signed-in browser:");
Console.WriteLine();
Console.WriteLine("| measure | before | after | per circuit |");
Console.WriteLine("| --- | --- | --- | --- |");
Console.WriteLine($"| active circuits (`aspnetcore.components.circuit.active`) | {circuitsBefore} | {circuitsAfter} | {(circuitsAfter - circuitsBefore) / (double)tabs:0.##} each tab |");
Console.WriteLine($"| managed heap after a full GC (dotnet-gcdump) | {before:N0} B | {after:N0} B | **{perCircuit / 1024:N0} KB** (goal ≤ 500 KB: {(perCircuit <= 500 * 1024 ? "met" : "NOT met")}) |");
Console.WriteLine($"| process RSS | {rssBefore / 1024:N0} KB | {rssAfter / 1024:N0} KB | {(rssAfter - rssBefore) / 1024.0 / tabs:N0} KB |");
Console.WriteLine();
Console.WriteLine("Visitor pages, each in a fresh browser with JavaScript on (goal: 0 circuits):");
Console.WriteLine();
Console.WriteLine("| page | circuits opened | met |");
Console.WriteLine("| --- | --- | --- |");
foreach (var (path, circuits) in visitors) Console.WriteLine($"| `{path}` | {circuits} | {(circuits == 0 ? "yes" : "NO")} |");
if (circuitsAfter - circuitsBefore != tabs)
{
    Console.Error.WriteLine($"FAILED: {tabs} dashboard tabs made {circuitsAfter - circuitsBefore} circuits; the heap figure is not per circuit.");
    return 1;
}
return 0;

static void Progress(string what) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {what}");

static string Required(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
    ? value : throw new InvalidOperationException($"Set {name} (bench/circuits does).");

static async Task<IPage> OpenAsync(IBrowserContext context, string path)
{
    var page = await context.NewPageAsync();
    await page.GotoAsync(path);
    return page;
}

// The team's layout says data-interactive="true" once its circuit renders.
static async Task InteractiveAsync(IPage page) =>
    await page.Locator("main[data-interactive=true]").WaitForAsync(new() { Timeout = 60_000 });

async Task<long> HeapAsync(string name)
{
    var file = Path.Combine(work, name + ".gcdump");
    await Tool("dotnet-gcdump", "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "-o", file);
    var report = await Tool("dotnet-gcdump", "report", file);
    var bytes = Regex.Match(report, @"([\d,]+)\s+GC Heap bytes");
    return bytes.Success ? long.Parse(bytes.Groups[1].Value, NumberStyles.AllowThousands, CultureInfo.InvariantCulture)
        : throw new InvalidOperationException("dotnet-gcdump report gave no heap size:\n" + report);
}

long Rss()
{
    var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
    return long.Parse(Regex.Match(line, @"\d+").Value, CultureInfo.InvariantCulture) * 1024;
}

static async Task<string> Tool(params string[] arguments)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var argument in arguments) start.ArgumentList.Add(argument);
    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var error = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet {string.Join(' ', arguments)} failed:\n{await output}{await error}");
    return await output;
}

static string? FindChromium()
{
    if (Environment.GetEnvironmentVariable("CONSENT_CHROMIUM") is { Length: > 0 } configured) return File.Exists(configured) ? configured : null;
    return (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
        .SelectMany(dir => new[] { "chromium", "chromium-browser", "google-chrome" }.Select(name => Path.Combine(dir, name)))
        .FirstOrDefault(File.Exists);
}
