using System.Text.Json;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Consent.Tests.Members;

/// <summary>
/// <c>Consent:Members:Retention</c> (3 years, 30 days): newsletters last until unsubscribe, an offers opt-in lapses 3 years after the
/// last contact, an inactive account is warned 30 days before 3 years and erased at 3 years if warned 30 days before; a restricted
/// account is neither. Each edge is tested on both sides, a microsecond apart.
/// </summary>
public abstract class MemberRetentionTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : MemberRetentionTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : MemberRetentionTests(TestEngine.Postgres);

    private static readonly TimeSpan Microsecond = TimeSpan.FromTicks(TimeSpan.TicksPerMicrosecond);
    private static readonly Uri Center = new("https://consent.example.org");

    private SmtpInbox inbox = null!;
    private bool inboxStopped;

    public override async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        db = await TestDatabase.CreateAsync(Engine, inbox.Settings("Mail:").ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (!inboxStopped) await inbox.DisposeAsync();
    }

    private Task<MemberRetentionRun> RunAsync() => db.Get<MemberRetention>().RunAsync(Center);

    /// <summary>The clock moved to <paramref name="at"/>, which lies ahead.</summary>
    private void MoveTo(DateTime at) => db.Time.Advance(at - db.Time.GetUtcNow().UtcDateTime);

    private DateTime Now => db.Time.GetUtcNow().UtcDateTime;

    /// <summary>A confirmed member whose last contact is now, opted in to <paramref name="optedIn"/>.</summary>
    private async Task<Member> AddMemberAsync(string name, string language = "en", params string[] optedIn)
    {
        var member = await db.Services.AddMemberAsync(name, $"{name}@example.org", language: language);
        if (optedIn.Length > 0) await db.Get<CommunicationPreferences>().SetAsync(member, optedIn, ConsentSource.MemberPrivacy, language, "Firefox/133.0");
        return (await StoredMemberAsync(member))!;
    }

    private Task<Member?> StoredMemberAsync(Member member) => db.Get<MemberService>().FindAsync(member.Id);

    private async Task<List<ConsentRecord>> RecordsOfAsync(Member member)
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking()
            .Where(r => r.VisitorId == member.SubjectId).OrderBy(r => r.RecordedAt).ThenBy(r => r.Id).ToListAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var context = db.NewContext();
        return await context.AuditEntries.AsNoTracking().Where(a => a.Action == action).OrderBy(a => a.Id).ToListAsync();
    }

    private IEnumerable<MimeMessage> MailsTo(Member member) =>
        inbox.Messages.Where(m => m.To.Mailboxes.Any(t => t.Address == member.Email));

    [Fact]
    public async Task A_ten_year_old_newsletter_opt_in_of_an_active_member_stays()
    {
        var member = await AddMemberAsync("ada", optedIn: [CommunicationPurposes.Newsletter]);
        var optIn = Assert.Single(await RecordsOfAsync(member));
        db.Time.Advance(TimeSpan.FromDays(10 * 366));
        await db.Get<MemberService>().TouchAsync(member.Id);
        db.Time.Advance(TimeSpan.FromDays(1));

        var run = await RunAsync();

        Assert.Equal(new MemberRetentionRun(0, 0, 0, 0), run);
        Assert.Equal([optIn.Id], (await RecordsOfAsync(member)).Select(r => r.Id));
        var state = await db.Get<CommunicationPreferences>().GetAsync(member);
        Assert.True(state.Sends(CommunicationPurposes.Newsletter));
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task An_offers_opt_in_lapses_exactly_the_period_after_the_last_contact_and_not_a_microsecond_before()
    {
        var first = await AddMemberAsync("ada", optedIn: [CommunicationPurposes.Newsletter, CommunicationPurposes.Offers]);
        db.Time.Advance(Microsecond);
        var later = await AddMemberAsync("grace", optedIn: [CommunicationPurposes.Newsletter, CommunicationPurposes.Offers]);

        MoveTo(first.LastContactAt.AddYears(3));
        var run = await RunAsync();

        Assert.Equal(1, run.OffersLapsed);
        var expiry = (await RecordsOfAsync(first))[^1];
        Assert.Equal((ConsentMethod.Expiry, ConsentSource.MemberRetention), (expiry.Method, expiry.Source));
        Assert.Equal([CommunicationPurposes.Newsletter], expiry.Decisions.Where(d => d.Granted).Select(d => d.CategoryKey));
        Assert.Equal([CommunicationPurposes.Newsletter], (await db.Get<CommunicationPreferences>().GetAsync(first)).OptedIn);
        Assert.Single(await RecordsOfAsync(later));

        db.Time.Advance(Microsecond);
        Assert.Equal(1, (await RunAsync()).OffersLapsed);
        Assert.Equal([CommunicationPurposes.Newsletter], (await db.Get<CommunicationPreferences>().GetAsync(later)).OptedIn);
        Assert.Equal(0, (await RunAsync()).OffersLapsed);
    }

    [Fact]
    public async Task A_contact_before_the_period_keeps_the_offers_opt_in()
    {
        var member = await AddMemberAsync("ada", optedIn: [CommunicationPurposes.Offers]);
        db.Time.Advance(TimeSpan.FromDays(2 * 365));
        await db.Get<MemberService>().TouchAsync(member.Id);

        MoveTo(member.LastContactAt.AddYears(3).AddDays(1));
        var run = await RunAsync();

        Assert.Equal(0, run.OffersLapsed);
        Assert.True((await db.Get<CommunicationPreferences>().GetAsync(member)).IsOptedIn(CommunicationPurposes.Offers));
    }

    [Fact]
    public async Task An_account_is_warned_exactly_warning_days_before_the_period_and_not_a_microsecond_earlier_and_only_once()
    {
        var member = await AddMemberAsync("ada");
        var warnAt = member.LastContactAt.AddYears(3).AddDays(-30);

        MoveTo(warnAt - Microsecond);
        var early = await RunAsync();
        db.Time.Advance(Microsecond);
        var due = await RunAsync();
        db.Time.Advance(TimeSpan.FromDays(1));
        var again = await RunAsync();

        Assert.Equal(0, early.Warned);
        Assert.Equal(1, due.Warned);
        Assert.Equal(0, again.Warned);
        Assert.Single(MailsTo(member));
        Assert.Equal(warnAt, (await StoredMemberAsync(member))!.InactivityWarnedAt);
        var entry = Assert.Single(await AuditAsync("member.inactivity-warning"));
        Assert.Equal(("system", "Member", member.Id), (entry.Actor, entry.EntityType, entry.EntityKey));
    }

    [Fact]
    public async Task The_warning_is_in_the_member_s_language_with_the_erasure_date_and_a_link_to_sign_in()
    {
        var english = await AddMemberAsync("ada", "en");
        var french = await AddMemberAsync("marie", "fr");

        MoveTo(english.LastContactAt.AddYears(3).AddDays(-30));
        await RunAsync();

        var en = await inbox.WaitForMailToAsync(english.Email);
        var fr = await inbox.WaitForMailToAsync(french.Email);
        Assert.Equal("Your account will be deleted unless you sign in", en.Subject);
        Assert.Equal("Votre compte sera supprimé si vous ne vous connectez pas", fr.Subject);
        Assert.Contains("Hello ada,", en.TextBody);
        Assert.Contains("from Thursday, November 29, 2029", en.TextBody);
        Assert.Contains("Bonjour marie,", fr.TextBody);
        Assert.Contains("à partir du jeudi 29 novembre 2029", fr.TextBody);
        Assert.All([en, fr], m => Assert.Contains("https://consent.example.org/members/signin", m.TextBody));
        Assert.All([en, fr], m => Assert.Null(m.Headers[HeaderId.ListUnsubscribe]));
    }

    [Fact]
    public async Task A_warned_account_is_erased_exactly_at_the_period_and_not_a_microsecond_before()
    {
        var member = await AddMemberAsync("ada", optedIn: [CommunicationPurposes.Newsletter]);
        MoveTo(member.LastContactAt.AddYears(3).AddDays(-30));
        await RunAsync();

        MoveTo(member.LastContactAt.AddYears(3) - Microsecond);
        var early = await RunAsync();
        var kept = await StoredMemberAsync(member);
        db.Time.Advance(Microsecond);
        var due = await RunAsync();

        Assert.Equal(0, early.Erased);
        Assert.NotNull(kept);
        Assert.Equal(1, due.Erased);
        Assert.Null(await StoredMemberAsync(member));
        Assert.Empty(await RecordsOfAsync(member));
        var erasure = Assert.Single(await AuditAsync("member.erase"));
        Assert.Equal(("system", member.Id), (erasure.Actor, erasure.EntityKey));
        Assert.Contains("\"source\":\"member-retention\"", erasure.After);
        await using var context = db.NewContext();
        Assert.Equal(1, await context.ConsentRecords.CountAsync(r => r.Method == ConsentMethod.Erasure && r.Source == ConsentSource.MemberRetention));
    }

    [Fact]
    public async Task An_account_past_the_period_without_a_warning_is_warned_not_erased_and_gets_the_full_warning_period()
    {
        var member = await AddMemberAsync("ada");
        MoveTo(member.LastContactAt.AddYears(3).AddDays(10));

        var first = await RunAsync();
        var warnedAt = Now;
        MoveTo(warnedAt.AddDays(30) - Microsecond);
        var early = await RunAsync();
        db.Time.Advance(Microsecond);
        var due = await RunAsync();

        Assert.Equal((1, 0), (first.Warned, first.Erased));
        Assert.Equal(0, early.Erased);
        Assert.Equal(1, due.Erased);
        Assert.Null(await StoredMemberAsync(member));
        Assert.Contains("from Tuesday, January 8, 2030", Assert.Single(MailsTo(member)).TextBody);
    }

    [Fact]
    public async Task A_sign_in_after_the_warning_cancels_the_erasure()
    {
        var member = await AddMemberAsync("ada");
        MoveTo(member.LastContactAt.AddYears(3).AddDays(-30));
        await RunAsync();
        db.Time.Advance(TimeSpan.FromDays(10));
        await db.Get<MemberService>().TouchAsync(member.Id);

        MoveTo(member.LastContactAt.AddYears(3).AddDays(1));
        var run = await RunAsync();

        Assert.Equal((0, 0), (run.Erased, run.Warned));
        var stored = await StoredMemberAsync(member);
        Assert.NotNull(stored);
        Assert.Null(stored.InactivityWarnedAt);
        Assert.Single(MailsTo(member));
    }

    [Fact]
    public async Task When_the_warning_cannot_be_sent_it_is_not_recorded_and_the_account_is_not_erased()
    {
        var member = await AddMemberAsync("ada");
        await inbox.DisposeAsync();
        inboxStopped = true;
        MoveTo(member.LastContactAt.AddYears(3).AddDays(-30));

        var failed = await RunAsync();
        MoveTo(member.LastContactAt.AddYears(3).AddDays(40));
        var later = await RunAsync();

        Assert.Equal((0, 1), (failed.Warned, failed.WarningsFailed));
        Assert.Equal((0, 0, 1), (later.Warned, later.Erased, later.WarningsFailed));
        var stored = await StoredMemberAsync(member);
        Assert.NotNull(stored);
        Assert.Null(stored.InactivityWarnedAt);
        Assert.Empty(await AuditAsync("member.inactivity-warning"));
    }

    [Fact]
    public async Task A_restricted_account_is_neither_warned_nor_erased()
    {
        var member = await AddMemberAsync("ada");
        await db.Get<MemberService>().SetRestrictedAsync(member.Id, true);

        MoveTo(member.LastContactAt.AddYears(5));
        var run = await RunAsync();

        Assert.Equal((0, 0), (run.Warned, run.Erased));
        var stored = await StoredMemberAsync(member);
        Assert.NotNull(stored);
        Assert.Null(stored.InactivityWarnedAt);
        Assert.Empty(inbox.Messages);
    }

    [Fact]
    public async Task A_run_that_did_something_is_audited_once_with_counts_and_periods_and_no_address()
    {
        var member = await AddMemberAsync("ada", optedIn: [CommunicationPurposes.Offers]);

        var nothing = await RunAsync();
        MoveTo(member.LastContactAt.AddYears(3));
        var run = await RunAsync();

        Assert.False(nothing.DidSomething);
        Assert.Equal(new MemberRetentionRun(1, 1, 0, 0), run);
        var entry = Assert.Single(await AuditAsync("members.retention"));
        Assert.Equal(("system", "Members"), (entry.Actor, entry.EntityType));
        var after = JsonDocument.Parse(entry.After!).RootElement;
        Assert.Equal((1, 1, 0, 0), (after.GetProperty("offersLapsed").GetInt32(), after.GetProperty("warned").GetInt32(),
            after.GetProperty("erased").GetInt32(), after.GetProperty("warningsFailed").GetInt32()));
        Assert.Equal((3, 3, 30), (after.GetProperty("offersLapseYears").GetInt32(), after.GetProperty("inactiveAccountYears").GetInt32(),
            after.GetProperty("warningDays").GetInt32()));
        Assert.DoesNotContain("example.org", entry.After);
        Assert.DoesNotContain("ada", entry.After);
    }

    [Fact]
    public async Task Retention_works_through_many_members_in_chunks()
    {
        var added = new List<Member>();
        for (var i = 0; i < 7; i++) added.Add(await AddMemberAsync($"member{i}", optedIn: [CommunicationPurposes.Offers]));
        var retention = new MemberRetention(db.Get<Microsoft.EntityFrameworkCore.IDbContextFactory<ConsentDbContext>>(), db.Get<ConsentDatabaseOptions>(),
            db.Get<CommunicationPreferences>(), db.Get<MemberService>(), db.Get<Consent.Core.Mail.MailService>(),
            db.Get<Microsoft.Extensions.Options.IOptions<MemberRetentionOptions>>(), db.Time,
            db.Get<Microsoft.Extensions.Logging.ILogger<MemberRetention>>())
        {
            ChunkSize = 3,
        };

        MoveTo(added[^1].LastContactAt.AddYears(3));
        var warned = await retention.RunAsync(Center);
        MoveTo(added[^1].LastContactAt.AddYears(3).AddDays(30));
        var erased = await retention.RunAsync(Center);

        Assert.Equal((7, 7), (warned.OffersLapsed, warned.Warned));
        Assert.Equal(7, erased.Erased);
        Assert.Equal(7, inbox.Messages.Count);
        await using var context = db.NewContext();
        Assert.Equal(0, await context.Members.CountAsync());
    }
}
