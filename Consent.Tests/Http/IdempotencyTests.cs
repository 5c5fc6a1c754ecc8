using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Http;

/// <summary>POST /api/v1/consents with an Idempotency-Key: a retry is answered from the first attempt and stores nothing new.</summary>
public abstract class IdempotencyTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : IdempotencyTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : IdempotencyTests(TestEngine.Postgres);

    private const string AcceptAll = """{"method":"accept-all","source":"banner","policyVersion":1}""";

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, string json, string? key, string? consentCookie = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/consents") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        if (consentCookie is not null) request.Headers.Add("Consent-Cookie", consentCookie);
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> JsonOf(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    [Fact]
    public async Task A_retry_with_the_same_key_gets_the_first_answer_and_stores_nothing_new()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(client, AcceptAll, key);
        app.Time.Advance(TimeSpan.FromSeconds(30));

        var retry = await PostAsync(client, AcceptAll, key);

        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (first.StatusCode, retry.StatusCode));
        var (a, b) = (await JsonOf(first), await JsonOf(retry));
        Assert.Equal(a["consentId"]!.GetValue<Guid>(), b["consentId"]!.GetValue<Guid>());
        Assert.Equal(a["cookie"]!["value"]!.GetValue<string>(), b["cookie"]!["value"]!.GetValue<string>());
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Single(await StoredRecordsAsync());
    }

    [Fact]
    public async Task Without_a_key_a_repeated_post_is_a_second_choice()
    {
        await PostAsync(client, AcceptAll, key: null);
        await PostAsync(client, AcceptAll, key: null);

        Assert.Equal(2, (await StoredRecordsAsync()).Count);
    }

    [Fact]
    public async Task The_same_key_for_another_choice_is_refused_and_stores_nothing()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync(client, AcceptAll, key);

        var other = await PostAsync(client, """{"method":"reject-all","source":"banner","policyVersion":1}""", key);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, other.StatusCode);
        Assert.Equal("application/problem+json", other.Content.Headers.ContentType!.MediaType);
        Assert.Contains("already used for another choice", (await JsonOf(other))["detail"]!.GetValue<string>());
        Assert.Equal(ConsentMethod.AcceptAll, Assert.Single(await StoredRecordsAsync()).Method);
    }

    [Fact]
    public async Task Attempts_arriving_together_with_one_key_store_one_record_and_all_get_it()
    {
        var key = Guid.NewGuid().ToString();

        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => PostAsync(client, AcceptAll, key))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.Created, a.StatusCode));
        var ids = await Task.WhenAll(answers.Select(async a => (await JsonOf(a))["consentId"]!.GetValue<Guid>()));
        var record = Assert.Single(await StoredRecordsAsync());
        Assert.All(ids, id => Assert.Equal(record.Id, id));
    }

    [Fact]
    public async Task A_retry_sent_to_another_instance_gets_the_first_answer()
    {
        var key = Guid.NewGuid().ToString();
        var first = await PostAsync(client, AcceptAll, key);
        await using var other = app.AnotherInstance();
        using var otherClient = other.CreateVisitorClient();

        var retry = await PostAsync(otherClient, AcceptAll, key);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal((await JsonOf(first))["consentId"]!.GetValue<Guid>(), (await JsonOf(retry))["consentId"]!.GetValue<Guid>());
        Assert.Single(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_key_answers_for_a_day_only_and_expired_keys_are_forgotten()
    {
        var key = Guid.NewGuid().ToString();
        await PostAsync(client, AcceptAll, key);
        app.Time.Advance(ConsentService.IdempotencyWindow + TimeSpan.FromMinutes(11));

        var late = await PostAsync(client, AcceptAll, key);

        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.False(late.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await StoredRecordsAsync()).Count);
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.IdempotencyKeys.CountAsync());
    }

    [Fact]
    public async Task The_same_key_for_another_visitor_is_refused()
    {
        var key = Guid.NewGuid().ToString();
        var mine = await PostAsync(client, AcceptAll, key);
        var someoneElse = await PostAsync(client, AcceptAll, key: null);

        var reused = await PostAsync(client, AcceptAll, key, (await JsonOf(someoneElse))["cookie"]!["value"]!.GetValue<string>());

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal(2, (await StoredRecordsAsync()).Count);
    }

    [Theory]
    [InlineData("with space")]
    [InlineData("é")]
    public async Task A_malformed_key_is_refused_and_stores_nothing(string key)
    {
        var response = await PostAsync(client, AcceptAll, key);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull((await JsonOf(response))["errors"]!["Idempotency-Key"]);
        Assert.Empty(await StoredRecordsAsync());
    }

    [Fact]
    public async Task A_key_longer_than_128_characters_is_refused()
    {
        var response = await PostAsync(client, AcceptAll, new string('k', 129));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await StoredRecordsAsync());
    }
}
