using Consent.Core.Consents;
using Consent.Core.Snapshot;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Tests.Core;

public abstract class ConsentServiceTests(TestEngine engine) : DatabaseTest(engine)
{
    public sealed class OnSqlite() : ConsentServiceTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : ConsentServiceTests(TestEngine.Postgres);

    private static readonly VisitorContext NewVisitor = new(null, "fr-FR,fr;q=0.9,en;q=0.8", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");

    private ConsentService consents = null!;

    public override async ValueTask InitializeAsync()
    {
        await base.InitializeAsync();
        consents = db.Get<ConsentService>();
    }

    private static ConsentSubmission Submission(ConsentMethod method, params string[] granted) =>
        new() { Method = method, Source = ConsentSource.Banner, PolicyVersion = 1, Granted = [.. granted] };

    private async Task<int> RecordCountAsync()
    {
        await using var context = db.NewContext();
        return await context.ConsentRecords.CountAsync();
    }

    private async Task PublishVersion2Async()
    {
        await using var context = db.NewContext();
        context.PolicyVersions.Add(StoredPolicy.Version(2, db.Time.GetUtcNow().UtcDateTime, "Adds a video supplier."));
        await context.SaveChangesAsync();
        // Behind the services' back: the snapshot in memory is read again, as a publication would have it.
        await db.Get<SnapshotService>().RefreshAsync();
    }

    private async Task<Dictionary<string, bool>> StoredDecisionsAsync(Guid consentId)
    {
        await using var context = db.NewContext();
        var record = await context.ConsentRecords.SingleAsync(r => r.Id == consentId);
        return record.Decisions.ToDictionary(d => d.CategoryKey, d => d.Granted);
    }

    [Fact]
    public async Task Reject_all_records_only_required_categories()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor);

        var stored = await StoredDecisionsAsync(receipt.Record.Id);
        Assert.Equal(new Dictionary<string, bool> { ["functional"] = true, ["analytics"] = false, ["social-media"] = false }, stored);
    }

    [Fact]
    public async Task Accept_all_records_every_category_granted()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);

        Assert.All(await StoredDecisionsAsync(receipt.Record.Id), d => Assert.True(d.Value));
    }

    [Fact]
    public async Task A_custom_choice_records_granted_and_denied_per_category()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.Custom, "analytics"), NewVisitor);

        var stored = await StoredDecisionsAsync(receipt.Record.Id);
        Assert.Equal(new Dictionary<string, bool> { ["functional"] = true, ["analytics"] = true, ["social-media"] = false }, stored);
    }

    [Fact]
    public async Task A_record_keeps_how_where_when_and_the_coarse_visitor_facts_but_no_address()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.Custom, "analytics"), NewVisitor);

        await using var context = db.NewContext();
        var record = await context.ConsentRecords.SingleAsync(r => r.Id == receipt.Record.Id);
        Assert.Equal((1, ConsentMethod.Custom, ConsentSource.Banner), (record.PolicyVersion, record.Method, record.Source));
        Assert.Equal(TestDatabase.Start.UtcDateTime, record.RecordedAt);
        Assert.Equal(TestDatabase.Start.UtcDateTime.AddMonths(6), record.ExpiresAt);
        Assert.Equal(("fr", "Firefox"), (record.Language, record.BrowserFamily)); // the browser prefers French, which the center has
        Assert.True(ConsentCookie.IsVisitorId(record.VisitorId));
        Assert.DoesNotContain(context.Model.FindEntityType(typeof(ConsentRecord))!.GetProperties(), p => p.Name.Contains("Ip", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Each_first_choice_gets_its_own_random_visitor_id()
    {
        var first = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor);
        var second = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor);

        Assert.NotEqual(first.Record.VisitorId, second.Record.VisitorId);
    }

    [Fact]
    public async Task A_change_appends_a_record_for_the_same_visitor_and_keeps_the_first()
    {
        var first = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);
        db.Time.Advance(TimeSpan.FromMinutes(5));

        var withdrawal = await consents.RecordReceiptAsync(
            Submission(ConsentMethod.Withdrawal), NewVisitor with { ConsentCookie = first.CookieValue });

        Assert.Equal(first.Record.VisitorId, withdrawal.Record.VisitorId);
        var history = await consents.GetHistoryAsync(first.Record.VisitorId!);
        Assert.Equal([ConsentMethod.Withdrawal, ConsentMethod.AcceptAll], history.Select(r => r.Method));
        Assert.All(history[1].Decisions, d => Assert.True(d.Granted));
    }

    [Fact]
    public async Task A_withdrawal_without_an_earlier_decision_is_recorded_as_reject_all()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.Withdrawal), NewVisitor);

        Assert.Equal(ConsentMethod.RejectAll, receipt.Record.Method);
    }

    [Fact]
    public async Task A_tampered_cookie_does_not_lend_its_visitor_id()
    {
        var first = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);
        var forged = first.CookieValue.Replace(".functional~analytics~social-media.", ".functional.");

        var next = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor with { ConsentCookie = forged });

        Assert.NotEqual(first.Record.VisitorId, next.Record.VisitorId);
    }

    [Fact]
    public async Task A_required_category_can_never_be_recorded_as_denied()
    {
        var submission = Submission(ConsentMethod.Custom, "analytics");
        submission.Denied = ["functional"];

        var outcome = await consents.RecordAsync(submission, NewVisitor);

        Assert.Equal(ConsentOutcomeKind.Refused, outcome.Kind);
        Assert.Contains("Functional is always on; it cannot be refused.", outcome.Errors["denied"]);
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task An_unknown_category_is_never_accepted()
    {
        var outcome = await consents.RecordAsync(Submission(ConsentMethod.Custom, "analytics", "advertising"), NewVisitor);

        Assert.Contains(outcome.Errors["granted"], m => m.StartsWith("There is no category \"advertising\"", StringComparison.Ordinal));
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task A_list_longer_than_the_catalogue_is_one_message_whatever_its_length()
    {
        var outcome = await consents.RecordAsync(Submission(ConsentMethod.Custom, [.. Enumerable.Range(0, 40_000).Select(i => $"k{i}")]), NewVisitor);

        Assert.Equal(["granted lists 40000 categories, but the catalogue has 3."], outcome.Errors["granted"]);
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task A_category_named_twice_is_refused()
    {
        var outcome = await consents.RecordAsync(Submission(ConsentMethod.Custom, "analytics", "analytics"), NewVisitor);

        Assert.Equal(["granted names \"analytics\" more than once; name each category once."], outcome.Errors["granted"]);
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task Reject_all_cannot_grant_an_optional_category()
    {
        var outcome = await consents.RecordAsync(Submission(ConsentMethod.RejectAll, "analytics"), NewVisitor);

        Assert.Contains("Rejecting all cannot grant Analytics.", outcome.Errors["granted"]);
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task A_choice_answering_a_superseded_policy_version_is_refused()
    {
        await PublishVersion2Async();

        var outcome = await consents.RecordAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);

        Assert.Equal((ConsentOutcomeKind.Superseded, 2), (outcome.Kind, outcome.CurrentPolicyVersion));
        Assert.Contains("version 2 is current", Assert.Single(outcome.Errors["policyVersion"]));
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task A_choice_answering_an_unpublished_policy_version_is_refused_as_bad_input()
    {
        var submission = Submission(ConsentMethod.AcceptAll);
        submission.PolicyVersion = 9;

        var outcome = await consents.RecordAsync(submission, NewVisitor);

        Assert.Equal(ConsentOutcomeKind.Refused, outcome.Kind);
        Assert.Equal("Policy version 9 has not been published; the current version is 1.", Assert.Single(Assert.Single(outcome.Errors).Value));
    }

    [Fact]
    public async Task A_submission_without_method_or_source_is_refused()
    {
        var outcome = await consents.RecordAsync(new ConsentSubmission { PolicyVersion = 1 }, NewVisitor);

        Assert.Equal(["method", "source"], outcome.Errors.Keys.Order());
        Assert.Equal(0, await RecordCountAsync());
    }

    [Fact]
    public async Task The_cookie_of_a_recorded_choice_reads_back_as_the_current_decision()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.Custom, "social-media"), NewVisitor);

        var current = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.True(current.HasDecision);
        Assert.Equal(["functional", "social-media"], current.Granted);
        Assert.Equal(receipt.Record.Id, current.ConsentId);
        Assert.False(current.IsGranted("analytics"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("1.not-a-visitor.x.1.functional.0.sig")]
    public async Task No_or_a_malformed_cookie_means_no_decision(string? cookie)
    {
        var current = await consents.GetCurrentAsync(cookie);

        Assert.False(current.HasDecision);
        Assert.Empty(current.Granted);
    }

    [Fact]
    public async Task An_edited_cookie_means_no_decision()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.RejectAll), NewVisitor);
        var edited = receipt.CookieValue.Replace(".functional.", ".functional~analytics.");

        var current = await consents.GetCurrentAsync(edited);

        Assert.False(current.HasDecision);
    }

    [Fact]
    public async Task A_decision_holds_until_the_end_of_its_lifetime()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);

        db.Time.Advance(TimeSpan.FromDays(181) - TimeSpan.FromSeconds(1));
        var current = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.True(current.HasDecision);
        Assert.Equal(receipt.Record.ExpiresAt, current.ExpiresAt);
    }

    [Fact]
    public async Task A_decision_past_its_lifetime_means_no_decision()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);

        db.Time.Advance(TimeSpan.FromDays(181));
        var current = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.False(current.HasDecision);
        Assert.False(current.AnsweredOlderPolicy);
    }

    [Fact]
    public async Task A_decision_answering_an_older_policy_version_means_no_decision()
    {
        var receipt = await consents.RecordReceiptAsync(Submission(ConsentMethod.AcceptAll), NewVisitor);
        await PublishVersion2Async();

        var current = await consents.GetCurrentAsync(receipt.CookieValue);

        Assert.False(current.HasDecision);
        Assert.True(current.AnsweredOlderPolicy);
        Assert.Equal(2, current.PolicyVersion);
    }
}
