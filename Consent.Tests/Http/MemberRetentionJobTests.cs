using Consent.Core.Audit;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;

namespace Consent.Tests.Http;

/// <summary>The app runs the members' retention by itself, on its clock, every <c>Consent:Members:Retention:RunEveryHours</c>.</summary>
public sealed class MemberRetentionJobTests() : AppTest(TestEngine.Sqlite)
{
    protected override void Configure(IDictionary<string, string> settings)
    {
        settings["Consent:PublicUrl"] = "https://consent.example.org";
        settings["Consent:Members:Retention:RunEveryHours"] = "6";
    }

    [Fact]
    public async Task The_app_warns_inactive_members_every_run_every_hours_with_a_link_to_its_public_address()
    {
        var first = await AddInactiveMemberAsync("ada");
        await AdvanceUntilRunsAsync(1);
        var second = await AddInactiveMemberAsync("grace");

        var runs = await AdvanceUntilRunsAsync(2);

        Assert.Equal(2, runs.Count);
        Assert.All(runs, r => Assert.Contains("\"warned\":1", r.After));
        // Six hours after the first, not the default day; a few hours more when the test moved the clock while the first run was
        // finishing, before the job waited again (a loaded machine is slow to get there).
        Assert.InRange(runs[1].At - runs[0].At, TimeSpan.FromHours(6), TimeSpan.FromHours(12));
        var mails = Directory.GetFiles(app.MailPickup, "*.eml").Select(f => MimeMessage.Load(f)).OrderBy(m => m.Date).ToList();
        Assert.Equal([first.Email, second.Email], mails.Select(m => m.To.Mailboxes.Single().Address));
        Assert.All(mails, m => Assert.Contains("https://consent.example.org/members/signin", m.TextBody));
    }

    [Fact]
    public async Task With_enabled_false_the_app_runs_no_members_retention()
    {
        var member = await AddInactiveMemberAsync("ada");
        await using var disabled = app.AnotherInstance();
        disabled.Settings["Consent:Members:Retention:Enabled"] = "false";
        disabled.Log = new CapturedLog();

        using var started = disabled.CreateVisitorClient();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!disabled.Log.Entries.Any(e => e.EventId.Name == "MemberRetentionDisabled") && DateTime.UtcNow < deadline) await Task.Delay(50);
        disabled.Time.Advance(TimeSpan.FromDays(2));

        Assert.Contains(disabled.Log.Entries, e => e.EventId.Id == 2074);
        Assert.Empty(await RunsAsync());
        Assert.Null((await app.Services.GetRequiredService<MemberService>().FindAsync(member.Id))!.InactivityWarnedAt);
        Assert.False(Directory.Exists(disabled.MailPickup) && Directory.EnumerateFiles(disabled.MailPickup, "*.eml").Any());
    }

    /// <summary>A member whose last contact is 3 years ago: due for the warning at the next run.</summary>
    private async Task<Member> AddInactiveMemberAsync(string name)
    {
        var longAgo = app.Time.GetUtcNow().UtcDateTime.AddYears(-3);
        return await app.Services.AddMemberAsync(name, $"{name}@example.org", with: m =>
        {
            m.CreatedAt = longAgo;
            m.LastContactAt = longAgo;
        });
    }

    /// <summary>Moves the clock an hour at a time until the job has run <paramref name="count"/> times.</summary>
    private Task<List<AuditEntry>> AdvanceUntilRunsAsync(int count) =>
        app.Time.AdvanceUntilAsync(TimeSpan.FromHours(1), RunsAsync, runs => runs.Count >= count);

    private async Task<List<AuditEntry>> RunsAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.Action == "members.retention").OrderBy(a => a.Id).ToListAsync();
    }
}
