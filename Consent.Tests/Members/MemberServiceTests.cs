using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Members;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Members;

/// <summary>A member's e-mail choices as records of the consent log, and their rights: rectify, object, restrict, a directive, export, erase.</summary>
public abstract class MemberServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : MemberServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : MemberServiceTests(TestEngine.Postgres);

    private CommunicationPreferences Communications => db.Get<CommunicationPreferences>();
    private MemberService Members => db.Get<MemberService>();

    private Task<Member> NewMemberAsync(string name = "ada") => db.Services.AddMemberAsync(name, $"{name}@example.org");

    private async Task<Member> ReloadAsync(Member member) => (await Members.FindAsync(member.Id))!;

    private async Task<List<ConsentRecord>> RecordsAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.AsNoTracking().OrderBy(r => r.LogIndex).ToListAsync();
    }

    [Fact]
    public async Task An_email_choice_is_a_record_of_the_log_under_the_members_subject_id_with_every_purpose()
    {
        var member = await NewMemberAsync();

        var record = await Communications.SetAsync(member, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");

        var stored = Assert.Single(await RecordsAsync());
        Assert.Equal(record!.Id, stored.Id);
        Assert.Equal((member.SubjectId, ConsentMethod.Custom, ConsentSource.MemberPrivacy, 0L), (stored.VisitorId, stored.Method, stored.Source, stored.LogIndex));
        Assert.Equal(CommunicationPurposes.All.Select(p => (p, p == CommunicationPurposes.Newsletter)), stored.Decisions.Select(d => (d.CategoryKey, d.Granted)));
        Assert.NotNull(stored.LeafHash);
        var state = await Communications.GetAsync(member);
        Assert.Equal([CommunicationPurposes.Newsletter], state.OptedIn);
        Assert.Equal(record.Id, state.ConsentId);
    }

    [Fact]
    public async Task Nothing_is_opted_in_before_a_choice_and_saving_the_same_choice_again_appends_nothing()
    {
        var member = await NewMemberAsync();
        Assert.Empty((await Communications.GetAsync(member)).OptedIn);
        Assert.Null(await Communications.SetAsync(member, [], ConsentSource.MemberPrivacy, "en", "Firefox"));

        await Communications.SetAsync(member, [CommunicationPurposes.Events, CommunicationPurposes.Offers], ConsentSource.MemberPrivacy, "en", "Firefox");
        var again = await Communications.SetAsync(member, [CommunicationPurposes.Offers, CommunicationPurposes.Events], ConsentSource.MemberPrivacy, "en", "Firefox");

        Assert.Null(again);
        Assert.Single(await RecordsAsync());
    }

    [Fact]
    public async Task Unsubscribing_withdraws_only_that_purpose_as_a_withdrawal_from_the_unsubscribe_link()
    {
        var member = await NewMemberAsync();
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter, CommunicationPurposes.Events], ConsentSource.MemberPrivacy, "en", "Firefox");
        db.Time.Advance(TimeSpan.FromMinutes(1));

        var withdrawal = await Communications.WithdrawAsync(member, CommunicationPurposes.Newsletter, ConsentSource.Unsubscribe, "en", "Thunderbird");
        var twice = await Communications.WithdrawAsync(member, CommunicationPurposes.Newsletter, ConsentSource.Unsubscribe, "en", "Thunderbird");

        Assert.Equal((ConsentMethod.Withdrawal, ConsentSource.Unsubscribe), (withdrawal!.Method, withdrawal.Source));
        Assert.Null(twice);
        Assert.Equal([CommunicationPurposes.Events], (await Communications.GetAsync(member)).OptedIn);
    }

    [Fact]
    public async Task An_objection_stops_offers_whatever_was_ticked_and_a_restriction_stops_everything()
    {
        var member = await NewMemberAsync();
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter, CommunicationPurposes.Offers], ConsentSource.MemberPrivacy, "en", "Firefox");

        await Members.SetObjectionAsync(member.Id, true);
        var objected = await Communications.GetAsync(await ReloadAsync(member));
        await Members.SetRestrictedAsync(member.Id, true);
        var restricted = await Communications.GetAsync(await ReloadAsync(member));

        Assert.Equal((true, false), (objected.Sends(CommunicationPurposes.Newsletter), objected.Sends(CommunicationPurposes.Offers)));
        Assert.True(objected.IsOptedIn(CommunicationPurposes.Offers));
        Assert.All(CommunicationPurposes.All, p => Assert.False(restricted.Sends(p)));
    }

    [Fact]
    public async Task A_restricted_account_takes_no_new_opt_in_and_no_rectification_but_can_still_withdraw()
    {
        var member = await NewMemberAsync();
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");
        await Members.SetRestrictedAsync(member.Id, true);
        member = await ReloadAsync(member);

        await Assert.ThrowsAsync<MemberRestrictedException>(() => Communications.SetAsync(member, [CommunicationPurposes.Newsletter, CommunicationPurposes.Events], ConsentSource.MemberPrivacy, "en", "Firefox"));
        await Assert.ThrowsAsync<MemberRestrictedException>(() => Members.UpdateProfileAsync(member.Id, new ProfileInput { UserName = "ada2" }));
        var withdrawal = await Communications.SetAsync(member, [], ConsentSource.MemberPrivacy, "en", "Firefox");

        Assert.Equal(ConsentMethod.Withdrawal, withdrawal!.Method);
        Assert.Equal("ada", (await ReloadAsync(member)).UserName);
    }

    [Fact]
    public async Task Rectification_checks_every_field_and_refuses_a_taken_username_changing_nothing()
    {
        var member = await NewMemberAsync();
        await NewMemberAsync("grace");

        var badLink = await Assert.ThrowsAsync<ValidationException>(() => Members.UpdateProfileAsync(member.Id, new ProfileInput { UserName = "ada", LinkedInUrl = "https://evil.example/in/ada" }));
        var taken = await Assert.ThrowsAsync<ValidationException>(() => Members.UpdateProfileAsync(member.Id, new ProfileInput { UserName = "Grace" }));
        await Members.UpdateProfileAsync(member.Id, new ProfileInput { UserName = "ada.l", Company = " Analytical Engines ", LinkedInUrl = "https://www.linkedin.com/in/ada" });

        Assert.Equal(nameof(ProfileInput.LinkedInUrl), Assert.Single(badLink.Errors).PropertyName);
        Assert.Equal(nameof(ProfileInput.UserName), Assert.Single(taken.Errors).PropertyName);
        var saved = await ReloadAsync(member);
        Assert.Equal(("ada.l", "ADA.L", "Analytical Engines", (string?)null), (saved.UserName, saved.NormalizedUserName, saved.Company, saved.City));
        await using var context = db.NewContext();
        var audit = await context.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "member.rectify");
        Assert.Equal(member.Id, audit.EntityKey);
        Assert.DoesNotContain("Analytical", audit.After);
    }

    [Fact]
    public async Task A_directive_to_pass_the_data_on_needs_the_trusted_persons_name_and_address()
    {
        var member = await NewMemberAsync();

        var incomplete = await Assert.ThrowsAsync<ValidationException>(() => Members.SetDirectiveAsync(member.Id, new DirectiveInput { Directive = DeathDirective.PassToTrustedPerson }));
        await Members.SetDirectiveAsync(member.Id, new DirectiveInput { Directive = DeathDirective.PassToTrustedPerson, TrustedPersonName = "Byron", TrustedPersonContact = "byron@example.org" });
        await Members.MarkDirectiveCarriedOutAsync(member.Id, "dpo@example.org");

        Assert.Equal(2, incomplete.Errors.Count());
        var saved = await ReloadAsync(member);
        Assert.Equal((DeathDirective.PassToTrustedPerson, "Byron", "byron@example.org", "dpo@example.org"), (saved.Directive, saved.TrustedPersonName, saved.TrustedPersonContact, saved.DirectiveCarriedOutBy));
        Assert.NotNull(saved.DirectiveCarriedOutAt);
    }

    [Fact]
    public async Task The_export_holds_the_profile_every_email_record_and_the_cookie_records_of_linked_browsers()
    {
        var member = await NewMemberAsync();
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");
        var cookie = await db.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", "Firefox/130.0"));
        await Members.LinkVisitorAsync(member.Id, cookie.Record.VisitorId!);
        await db.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.RejectAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", "Firefox/130.0"));

        var export = await Members.ExportAsync(member.Id);

        Assert.Equal(("ada", "ada@example.org"), (export.Profile.UserName, export.Profile.Email));
        Assert.Equal([CommunicationPurposes.Newsletter], export.CommunicationsOptedIn);
        Assert.Equal("member-privacy", Assert.Single(export.CommunicationRecords).Source);
        var browser = Assert.Single(export.CookieConsents);
        Assert.Equal(cookie.Record.Id, Assert.Single(browser.Records).ConsentId);
        Assert.Equal(cookie.Record.Id, (await Members.LatestCookieChoiceAsync(member.Id))!.Id);
    }

    [Fact]
    public async Task Erasing_the_account_unlinks_its_records_appends_erasure_records_and_the_log_still_verifies()
    {
        var member = await NewMemberAsync();
        var other = await NewMemberAsync("grace");
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");
        await Communications.SetAsync(other, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");
        var cookie = await db.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 }, new VisitorContext(null, "en", "Firefox/130.0"));
        await Members.LinkVisitorAsync(member.Id, cookie.Record.VisitorId!);

        var erasure = await Members.EraseAsync(member.Id, ConsentSource.MemberPrivacy, MemberService.MemberActor, "Firefox");
        var again = await Members.EraseAsync(member.Id, ConsentSource.MemberPrivacy, MemberService.MemberActor, "Firefox");

        Assert.Equal(2, erasure!.UnlinkedRecords);
        Assert.Null(again);
        Assert.Null(await Members.FindAsync(member.Id));
        var records = await RecordsAsync();
        Assert.DoesNotContain(records, r => r.VisitorId == member.SubjectId || r.VisitorId == cookie.Record.VisitorId);
        Assert.Contains(records, r => r.VisitorId == other.SubjectId);
        var mine = records.Single(r => r.Id == erasure.ErasureRecordId);
        Assert.Equal((ConsentMethod.Erasure, (string?)null), (mine.Method, mine.VisitorId));
        Assert.All(mine.Decisions, d => Assert.False(d.Granted));
        Assert.Equal(2, records.Count(r => r.Method == ConsentMethod.Erasure));
        await using var context = db.NewContext();
        Assert.Empty(await context.MemberVisitors.ToListAsync());
        var audit = await context.AuditEntries.AsNoTracking().SingleAsync(a => a.Action == "member.erase");
        Assert.DoesNotContain("ada", audit.After + audit.EntityKey);
        Assert.True((await db.Get<LogVerifier>().CheckAsync()).Verified);
    }

    [Fact]
    public async Task Email_records_stay_out_of_the_cookie_statistics_and_out_of_the_cookie_logs_retention()
    {
        var member = await NewMemberAsync();
        await Communications.SetAsync(member, [CommunicationPurposes.Newsletter], ConsentSource.MemberPrivacy, "en", "Firefox");
        db.Time.Advance(TimeSpan.FromDays(366 * 6));

        var (erased, _) = await db.Get<ConsentRetention>().EraseExpiredAsync();

        Assert.Equal(0, erased);
        await using var context = db.NewContext();
        Assert.Empty(await context.DecisionRollups.ToListAsync());
        Assert.Equal(member.SubjectId, (await context.ConsentRecords.AsNoTracking().SingleAsync()).VisitorId);
    }

    [Fact]
    public async Task An_unsubscribe_token_proves_its_member_and_purpose_and_a_changed_one_proves_nothing()
    {
        var member = await NewMemberAsync();
        var links = db.Get<UnsubscribeLinks>();

        var token = links.TokenFor(member, CommunicationPurposes.Offers);
        var link = links.LinkFor(new Uri("https://center.example/"), member, CommunicationPurposes.Offers);

        Assert.Equal(new UnsubscribeToken(member.SubjectId, CommunicationPurposes.Offers), links.Read(token));
        Assert.Equal($"https://center.example{UnsubscribeLinks.Path}", link.GetLeftPart(UriPartial.Path));
        Assert.Equal(new UnsubscribeToken(member.SubjectId, CommunicationPurposes.Offers), links.Read(link.Query["?token=".Length..]));
        Assert.DoesNotContain(member.SubjectId, token);
        Assert.Null(links.Read(token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1]));
        Assert.Null(links.Read("not-a-token"));
        Assert.Null(links.Read(null));
    }
}
