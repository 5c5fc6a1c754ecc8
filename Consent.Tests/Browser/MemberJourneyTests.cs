using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Languages;
using Consent.Core.Members;
using Consent.Core.Persistence;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// A new person, in a real browser and in each language: signs up, confirms by the mail that arrives, subscribes to the newsletter
/// only, downloads their data, unsubscribes from the mail's link without signing in, and deletes the account; the team then finds
/// each step in the log and the audit trail.
/// </summary>
public class MemberJourneyTests(BrowserSession session) : BrowserTest(session)
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("en-GB", "Signed in as", "You are unsubscribed from \"Newsletter\"")]
    [InlineData("fr-FR", "Connecté en tant que", "Vous êtes désinscrit de « Newsletter »")]
    public async Task A_new_member_signs_up_subscribes_downloads_unsubscribes_by_mail_and_deletes_the_account(string locale, string signedIn, string unsubscribed)
    {
        Session.RequireBrowser();
        var culture = CultureInfo.GetCultureInfo(locale[..2]);
        string M(string key, params object[] args) => MemberTexts.In(culture, key, args);
        var userName = $"member{Guid.NewGuid():N}"[..20];
        var email = $"{userName}@example.org";
        var page = await Session.NewVisitorAsync(locale: locale);

        // 1. Sign up, and confirm by the mail that arrives.
        await page.GotoAsync("/members/signup");
        var banner = page.GetByRole(AriaRole.Region, new() { Name = VisitorTexts.Resources.GetString("Banner.Title", culture) });
        await banner.GetByRole(AriaRole.Button, new() { Name = VisitorTexts.Resources.GetString("Action.RejectAll", culture) }).ClickAsync();
        await page.GetByLabel(M("Field.UserName"), new() { Exact = true }).FillAsync(userName);
        await page.GetByLabel(M("Field.Email"), new() { Exact = true }).FillAsync(email);
        await page.GetByLabel(M("Field.Password"), new() { Exact = true }).FillAsync(MemberPages.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = M("SignUp.Submit") }).ClickAsync();
        await Expect(page.GetByTestId("signup-sent")).ToContainTextAsync(email);
        var confirmation = await Session.Mail.WaitForMailToAsync(email, MailWait);
        await page.GotoAsync(confirmation.LinkTo("/members/confirm"));
        await Expect(page).ToHaveURLAsync(new Regex("/members/privacy"));
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync($"{signedIn} {userName}");

        // Subscribe to the newsletter only: every box starts unticked.
        foreach (var purpose in CommunicationPurposes.All) await Expect(page.GetByLabel(M($"Purpose.{purpose}.Name"), new() { Exact = true })).Not.ToBeCheckedAsync();
        await page.GetByLabel(M("Purpose.newsletter.Name"), new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = M("MyPrivacy.Emails.Save") }).ClickAsync();
        await Expect(page.GetByTestId("privacy-saved")).ToHaveTextAsync(M("MyPrivacy.Saved.emails"));
        await Expect(page.GetByLabel(M("Purpose.newsletter.Name"), new() { Exact = true })).ToBeCheckedAsync();

        // 2. Download the data, and find exactly that.
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = M("MyPrivacy.Data.Download") }).ClickAsync());
        using var data = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        var root = data.RootElement;
        Assert.Equal((userName, email), (root.GetProperty("profile").GetProperty("userName").GetString(), root.GetProperty("profile").GetProperty("email").GetString()));
        Assert.Equal(["newsletter"], root.GetProperty("communicationsOptedIn").EnumerateArray().Select(e => e.GetString()));
        var subscription = Assert.Single(root.GetProperty("communicationRecords").EnumerateArray());
        Assert.Equal(["newsletter"], subscription.GetProperty("decisions").EnumerateArray().Where(d => d.GetProperty("granted").GetBoolean()).Select(d => d.GetProperty("category").GetString()));

        // 3. Unsubscribe from the mail's link, in another browser where nobody is signed in.
        var welcome = await Session.Mail.WaitForAsync(m => m.To.ToString().Contains(email) && m.Headers.Contains("List-Unsubscribe"), MailWait);
        Assert.Equal("List-Unsubscribe=One-Click", welcome.Headers["List-Unsubscribe-Post"]);
        var stranger = await Session.NewVisitorAsync(locale: locale);
        await stranger.GotoAsync(welcome.LinkTo(UnsubscribeLinks.Path));
        await Expect(stranger).ToHaveURLAsync(new Regex("/members/unsubscribe\\?token="));
        await stranger.GetByRole(AriaRole.Button, new() { Name = M("Unsubscribe.Button") }).ClickAsync();
        await Expect(stranger.GetByTestId("unsubscribe-done")).ToContainTextAsync(unsubscribed);
        await page.ReloadAsync();
        await Expect(page.GetByLabel(M("Purpose.newsletter.Name"), new() { Exact = true })).Not.ToBeCheckedAsync();

        // 4. Delete the account.
        await page.GetByRole(AriaRole.Link, new() { Name = M("MyPrivacy.Data.Erase") }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = M("Delete.Confirm") }).ClickAsync();
        await Expect(page.GetByTestId("account-deleted")).ToBeVisibleAsync();
        var goodbye = await Session.Mail.WaitForAsync(m => m.To.ToString().Contains(email) && m.Subject == M("Mail.Erased.Subject"), MailWait);
        var erasureId = Guid.Parse(await page.GetByTestId("erasure-record").InnerTextAsync() is var text ? Regex.Match(text, "[0-9a-f]{8}-[0-9a-f-]{27}").Value : "");
        Assert.Contains(erasureId.ToString("D"), goodbye.TextBody);
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "cc_member");

        // The team sees each step: in the log (subscription, unsubscription, erasure) and in the audit trail.
        await using var db = await Session.App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        Assert.False(await db.Members.AnyAsync(m => m.NormalizedEmail == email.ToUpperInvariant()));
        var logged = await db.ConsentRecords.AsNoTracking().Where(r => r.Id == subscription.GetProperty("consentId").GetGuid() || r.Id == erasureId).ToListAsync();
        Assert.Equal(2, logged.Count);
        Assert.All(logged, r => Assert.Null(r.VisitorId));
        Assert.Equal((ConsentMethod.Erasure, ConsentSource.MemberPrivacy), logged.Where(r => r.Id == erasureId).Select(r => (r.Method, r.Source)).Single());
        var subscriptionLeaf = logged.Single(r => r.Id != erasureId).LogIndex;
        var after = await db.ConsentRecords.AsNoTracking().Where(r => r.LogIndex > subscriptionLeaf && r.Source == ConsentSource.Unsubscribe).ToListAsync();
        Assert.Contains(after, r => r.Method == ConsentMethod.Withdrawal && r.VisitorId == null);
        var memberId = (await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Member" && a.Action == "member.erase").OrderBy(a => a.Id).ToListAsync()).Last().EntityKey;
        var actions = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Member" && a.EntityKey == memberId).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["member.sign-up", "member.confirm", "member.export", "member.erase"], actions.Where(a => a is "member.sign-up" or "member.confirm" or "member.export" or "member.erase"));
        var trail = await Session.App.Services.GetRequiredService<AuditService>().GetPageAsync(new AuditQuery(PageSize: 200, EntityType: "Member"));
        Assert.DoesNotContain(trail.Entries, e => (e.Before + e.After + e.EntityKey).Contains(email, StringComparison.OrdinalIgnoreCase));
    }
}
