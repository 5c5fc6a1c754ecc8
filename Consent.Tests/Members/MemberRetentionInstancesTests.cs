using Consent.Core.Consents;
using Consent.Core.Members;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Members;

/// <summary>
/// Several instances on one PostgreSQL database all run the members' retention: one at a time does, so each member gets one
/// warning and one expiry record. (SQLite serves one instance.)
/// </summary>
[Trait("Engine", "Postgres")]
public sealed class MemberRetentionInstancesTests() : DatabaseTest(TestEngine.Postgres)
{
    private SmtpInbox inbox = null!;

    public override async ValueTask InitializeAsync()
    {
        inbox = await SmtpInbox.StartAsync();
        db = await TestDatabase.CreateAsync(Engine, inbox.Settings("Mail:").ToDictionary(kv => kv.Key, kv => (string?)kv.Value));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await inbox.DisposeAsync();
    }

    [Fact]
    public async Task Two_instances_running_it_at_once_warn_each_member_once_and_lapse_each_offer_once()
    {
        var members = new List<Member>();
        for (var i = 0; i < 12; i++) members.Add(await db.Services.AddMemberAsync($"member{i}", $"member{i}@example.org", confirmed: false));
        foreach (var member in members)
        {
            await db.Get<CommunicationPreferences>().SetAsync(member, [CommunicationPurposes.Offers], ConsentSource.MemberPrivacy, "en", "Firefox/133.0");
        }
        var other = await db.StartAnotherInstanceAsync();
        db.Time.Advance(TimeSpan.FromDays(3 * 366));
        var center = new Uri("https://consent.example.org");

        var runs = await Task.WhenAll(
            Task.Run(() => db.Get<MemberRetention>().RunAsync(center)),
            Task.Run(() => other.GetRequiredService<MemberRetention>().RunAsync(center)));

        Assert.Equal((12, 12), (runs.Sum(r => r.Warned), runs.Sum(r => r.OffersLapsed)));
        Assert.Equal(12, inbox.Messages.Count);
        await using var read = db.NewContext();
        Assert.Equal(12, await read.ConsentRecords.CountAsync(r => r.Method == ConsentMethod.Expiry));
        Assert.Equal(runs.Count(r => !r.Skipped && r.DidSomething), await read.AuditEntries.CountAsync(a => a.Action == "members.retention"));
    }
}
