using System.Net;
using System.Text.Json;
using Consent.Core.Consents;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Consent.Tests.Http;

/// <summary>
/// <c>GET /privacy/request/file?token=…</c>, the link of a DPO's reply: the file as a download while the link lasts, 410 once its days have
/// passed (write to the DPO), 404 for a token this center never sent; the token reaches no log of the app's.
/// </summary>
public abstract class RequestFileDownloadTests(TestEngine engine) : AppTest(engine), IAsyncLifetime
{
    public sealed class OnSqlite() : RequestFileDownloadTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : RequestFileDownloadTests(TestEngine.Postgres);

    private const string Requester = "ada@example.org";
    private const string DpoAddress = "dpo@example.org";
    private SmtpInbox inbox = null!;
    private readonly CapturedLog log = new();

    public new async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        await base.InitializeAsync();
    }

    public new async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await inbox.DisposeAsync();
    }

    protected override void Configure(IDictionary<string, string> settings)
    {
        foreach (var (key, value) in inbox.Settings()) settings[key] = value;
        settings["Consent:Dpo:Email"] = DpoAddress;
        settings["Consent:Requests:FileLinkDays"] = "3";
        app.Log = log;
    }

    private RequestInbox Inbox => app.Services.GetRequiredService<RequestInbox>();

    /// <summary>A proven visitor's access request answered with their consent history; returns the link's path and query.</summary>
    private async Task<string> AnsweredWithHistoryAsync()
    {
        var request = await app.Services.AddOpenRequestAsync(RequestType.Access, with: r => r.VisitorId = ConsentCookie.NewVisitorId());
        await Inbox.AttachConsentHistoryAsync(request.Reference, DpoAddress);
        await Inbox.ReplyAsync(request.Reference, await Inbox.ReplyTemplateAsync(request.Reference), answers: true, client.BaseAddress!, DpoAddress);
        return (await inbox.WaitForMailToAsync(Requester)).LinkTo("/privacy/request/file");
    }

    [Fact]
    public async Task The_link_of_the_reply_downloads_the_file_as_an_attachment_that_no_cache_keeps()
    {
        var link = await AnsweredWithHistoryAsync();

        var response = await client.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("consent-history-R-", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString());
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(JsonValueKind.Array, document.GetProperty("records").ValueKind);
    }

    [Fact]
    public async Task Once_its_days_have_passed_the_link_answers_410_telling_the_requester_to_write_to_the_DPO()
    {
        var link = await AnsweredWithHistoryAsync();
        app.Time.Advance(TimeSpan.FromDays(3) - TimeSpan.FromMinutes(1));
        var lastMinute = await client.GetAsync(link);
        app.Time.Advance(TimeSpan.FromMinutes(1));

        var expired = await client.GetAsync(link);
        using var french = new HttpRequestMessage(HttpMethod.Get, link) { Headers = { { "Accept-Language", "fr-FR" } } };
        var expiredInFrench = await client.SendAsync(french);

        Assert.Equal(HttpStatusCode.OK, lastMinute.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Equal("application/problem+json", expired.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(await expired.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("This link has expired", problem.GetProperty("title").GetString());
        Assert.Contains($"Write to the Data Protection Officer at {DpoAddress}", problem.GetProperty("detail").GetString());
        Assert.Contains("no-store", expired.Headers.CacheControl?.ToString());
        Assert.Equal(HttpStatusCode.Gone, expiredInFrench.StatusCode);
        Assert.Equal("Ce lien a expiré", JsonDocument.Parse(await expiredInFrench.Content.ReadAsStringAsync()).RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_token_this_center_never_sent_answers_404_and_opens_nothing()
    {
        var link = await AnsweredWithHistoryAsync();
        var token = link["/privacy/request/file?token=".Length..];

        var altered = await client.GetAsync($"/privacy/request/file?token={token[..^2]}xx");
        var missing = await client.GetAsync("/privacy/request/file");
        var huge = await client.GetAsync($"/privacy/request/file?token={new string('a', 2000)}");

        Assert.All([altered, missing, huge], r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var problem = JsonDocument.Parse(await altered.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("No file at this link", problem.GetProperty("title").GetString());
    }

    [Fact]
    public async Task The_token_reaches_no_log_line_of_the_app()
    {
        var link = await AnsweredWithHistoryAsync();
        var token = link["/privacy/request/file?token=".Length..];

        await client.GetAsync(link);
        app.Time.Advance(TimeSpan.FromDays(4));
        await client.GetAsync(link);

        // ASP.NET Core's own request lines (Information, off in the shipped appsettings: "Microsoft.AspNetCore": "Warning") quote every URL.
        var lines = log.Entries.Where(e => !(e.Category.StartsWith("Microsoft.AspNetCore.Hosting", StringComparison.Ordinal) && e.Level <= LogLevel.Information));
        Assert.DoesNotContain(lines, e => e.Text.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, e => e.Text.Contains(Requester, StringComparison.OrdinalIgnoreCase));
    }
}
