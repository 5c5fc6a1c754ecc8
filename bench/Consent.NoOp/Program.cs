using System.Text.Json;

// The least an ASP.NET Core app can do per request: bench/load measures it beside the center, as the machine's ceiling.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();

app.MapGet("/", () => "ok");
// Reads and parses the JSON body, as the center's API does before any work of its own, and answers {}.
app.MapPost("/", async (HttpRequest request, CancellationToken ct) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
    return Results.Text("{}", "application/json");
});

app.Run();
