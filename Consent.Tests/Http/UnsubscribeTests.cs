using System.Net;
using System.Text;
using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Consent.Tests.Support.VisitorRequests;

namespace Consent.Tests.Http;

/// <summary>One-click unsubscribe (RFC 8058): a POST to the e-mail's link withdraws its purpose without signing in; a GET changes nothing.</summary>
public abstract class UnsubscribeTests(TestEngine engine) : AppTest(engine)
{
    public sealed class OnSqlite() : UnsubscribeTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : UnsubscribeTests(TestEngine.Postgres);

    private T Get<T>() where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>A confirmed member subscribed to the newsletter and the offers; returns them and the newsletter's link.</summary>
    private async Task<(Member Member, Uri Link)> SubscribedMemberAsync()
    {
        var member = await app.Services.AddMemberAsync("ada", "ada@example.org", language: "fr");
        await Get<CommunicationPreferences>().SetAsync(member, [CommunicationPurposes.Newsletter, CommunicationPurposes.Offers], ConsentSource.MemberPrivacy, "fr", "Firefox");
        return (member, Get<UnsubscribeLinks>().LinkFor(client.BaseAddress!, member, CommunicationPurposes.Newsletter));
    }

    private Task<HttpResponseMessage> OneClickAsync(string pathAndQuery, string body = "List-Unsubscribe=One-Click") =>
        client.PostAsync(pathAndQuery, new StringContent(body, Encoding.ASCII, "application/x-www-form-urlencoded"));

    private async Task<CommunicationState> StateAsync(Member member) => await Get<CommunicationPreferences>().GetAsync(member);

    [Fact]
    public async Task A_one_click_post_withdraws_that_purpose_only_records_it_and_counts_as_a_contact()
    {
        var (member, link) = await SubscribedMemberAsync();
        app.Time.Advance(TimeSpan.FromDays(3));

        var response = await OneClickAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([CommunicationPurposes.Offers], (await StateAsync(member)).OptedIn);
        var withdrawal = (await StoredRecordsAsync()).OrderBy(r => r.LogIndex).Last();
        Assert.Equal((ConsentMethod.Withdrawal, ConsentSource.Unsubscribe, member.SubjectId), (withdrawal.Method, withdrawal.Source, withdrawal.VisitorId));
        Assert.Equal(app.Time.GetUtcNow().UtcDateTime, (await Get<MemberService>().FindAsync(member.Id))!.LastContactAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task Opening_the_link_changes_nothing_and_shows_the_page_whose_button_unsubscribes_without_signing_in()
    {
        var (member, link) = await SubscribedMemberAsync();

        var opened = await client.GetAsync(link.PathAndQuery);
        var (_, page) = await client.GetPageAsync(opened.Headers.Location!.OriginalString, acceptLanguage: "fr");
        var form = page.QuerySelector("form[action*='one-click']")!;
        var posted = await OneClickAsync(form.GetAttribute("action")!, "List-Unsubscribe=One-Click");
        var (_, done) = await client.GetPageAsync(posted.Headers.Location!.OriginalString, acceptLanguage: "fr");

        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        Assert.Contains("Newsletter", page.QuerySelector("[data-testid=unsubscribe-ask]")!.TextContent);
        Assert.Equal(HttpStatusCode.SeeOther, posted.StatusCode);
        Assert.Contains("Vous êtes désinscrit de « Newsletter »", done.QuerySelector("[data-testid=unsubscribe-done]")!.TextContent);
        Assert.False((await StateAsync(member)).IsOptedIn(CommunicationPurposes.Newsletter));
    }

    [Fact]
    public async Task A_second_click_appends_nothing_more()
    {
        var (_, link) = await SubscribedMemberAsync();
        await OneClickAsync(link.PathAndQuery);
        var before = (await StoredRecordsAsync()).Count;

        var again = await OneClickAsync(link.PathAndQuery);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(before, (await StoredRecordsAsync()).Count);
    }

    [Fact]
    public async Task A_forged_link_a_missing_body_and_an_oversized_body_are_refused_and_change_nothing()
    {
        var (member, link) = await SubscribedMemberAsync();
        var forged = link.PathAndQuery[..^3] + "xyz";

        var unknown = await OneClickAsync(forged);
        var noBody = await OneClickAsync(link.PathAndQuery, "");
        var oversized = await OneClickAsync(link.PathAndQuery, "List-Unsubscribe=One-Click&" + new string('a', 300));

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.RequestEntityTooLarge), (unknown.StatusCode, noBody.StatusCode, oversized.StatusCode));
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);
        Assert.Equal(2, (await StateAsync(member)).OptedIn.Count);
    }
}
