using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Consents;
using Consent.Core.Log;
using Consent.Core.Log.Checkpoints;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using MudBlazor;

namespace Consent.Tests.Components;

public class LogPageTests() : TeamPageTest(Analyst, TeamRoles.Analyst)
{
    private const string Analyst = "analyst@example.org";

    private async Task ChooseAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            await db.Get<ConsentService>().RecordReceiptAsync(new() { Method = ConsentMethod.AcceptAll, Source = ConsentSource.Banner, PolicyVersion = 1 },
                new VisitorContext(null, "en", "Firefox/128.0"));
        }
    }

    private IRenderedComponent<LogPage> RenderPage()
    {
        bunit.Render<MudPopoverProvider>();
        var cut = bunit.Render<LogPage>();
        cut.WaitForElement("[data-testid=log-status]");
        return cut;
    }

    private static string Text(IRenderedComponent<LogPage> cut, string testId) => cut.Find($"[data-testid={testId}]").TextContent.Trim();

    [Fact]
    public async Task The_page_shows_the_tree_size_the_last_checkpoint_and_that_the_log_was_never_verified()
    {
        await ChooseAsync(3);
        using var key = NoteSigner.Generate("consent.example.org/log");
        var head = await db.Get<LogTree>().GetHeadAsync();
        await using (var context = db.NewContext())
        {
            context.LogCheckpoints.Add(new LogCheckpoint
            {
                TreeSize = head.Size,
                RootHash = head.RootHash,
                Note = new Checkpoint(key.Name, head.Size, head.RootHash).Sign(key),
                KeyName = key.Name,
                SignedAt = new DateTime(2026, 11, 29, 10, 20, 0, DateTimeKind.Utc),
            });
            await context.SaveChangesAsync();
        }

        var cut = RenderPage();

        Assert.Equal("3 records", Text(cut, "log-tree-size"));
        Assert.Equal("3 records, signed 2026-11-29 10:20:00 with key consent.example.org/log, not timestamped.", Text(cut, "log-last-checkpoint"));
        Assert.Equal("Never verified.", Text(cut, "log-last-verification"));
        Assert.Equal("/admin/export/checkpoints.json", cut.Find("[data-testid=log-checkpoints-download]").GetAttribute("href"));
        Assert.Empty(cut.FindAll("[data-testid=log-sign]"));
    }

    [Fact]
    public async Task An_admin_signs_a_checkpoint_now_and_sees_it_as_the_last()
    {
        auth.SetRoles(TeamRoles.Admin);
        auth.SetPolicies(TeamPolicies.Manage);
        await ChooseAsync(4);
        var cut = RenderPage();

        cut.Find("[data-testid=log-sign]").Click();

        cut.WaitForAssertion(() => Assert.StartsWith("4 records, signed 2026-11-29 10:00:00 with key consent-center.local/log, not timestamped.", Text(cut, "log-last-checkpoint")));
        var result = await db.Get<LogVerifier>().CheckAsync();
        Assert.True(result.Verified, result.Difference);
        Assert.Equal(1, result.Checkpoints);
    }

    [Fact]
    public async Task Verify_now_shows_the_result_and_becomes_the_last_verification_by_the_signed_in_member()
    {
        await ChooseAsync(2);
        var cut = RenderPage();

        cut.Find("[data-testid=log-verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The log verifies: 2 records, 0 checkpoints.", Text(cut, "log-result")));
        Assert.Equal($"2026-11-29 10:00:00 by {Analyst}: The log verifies: 2 records, 0 checkpoints.", Text(cut, "log-last-verification"));
        Assert.Empty(cut.FindAll("[data-testid=log-verifying]"));
        await using var context = db.NewContext();
        var entry = await context.AuditEntries.SingleAsync(a => a.Action == LogVerifier.AuditAction);
        Assert.Equal(Analyst, entry.Actor);
    }

    [Fact]
    public async Task Verify_now_names_the_first_difference_of_a_tampered_log()
    {
        await ChooseAsync(3);
        await using (var context = db.NewContext())
        {
            await context.Database.ExecuteSqlRawAsync("""DROP TRIGGER "ConsentRecords_no_delete" """);
            await context.Database.ExecuteSqlRawAsync("""DELETE FROM "ConsentRecords" WHERE "LogIndex" = 1""");
        }
        var cut = RenderPage();

        cut.Find("[data-testid=log-verify]").Click();

        cut.WaitForAssertion(() => Assert.Equal("The log does not verify: a record was removed at position 1.", Text(cut, "log-result")));
        Assert.Contains("mud-alert-text-error", cut.Find("[data-testid=log-result]").ClassName);
    }
}
