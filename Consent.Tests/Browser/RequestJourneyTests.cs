using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Consent.Core.Languages;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Core.Requests;
using Consent.Tests.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// A visitor, in a real browser and in each language, files an access request about their consent, confirms their address by the mail
/// that arrives, and receives the answer: a DPO signs in, attaches the visitor's consent history in one click and replies, and the
/// visitor opens the mail's link and downloads exactly their records.
/// </summary>
public class RequestJourneyTests(BrowserSession session) : BrowserTest(session)
{
    private static readonly TimeSpan MailWait = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("en-GB")]
    [InlineData("fr-FR")]
    public async Task A_visitor_files_an_access_request_confirms_the_address_and_downloads_the_answer_the_DPO_attached(string locale)
    {
        Session.RequireBrowser();
        var culture = CultureInfo.GetCultureInfo(locale[..2]);
        string R(string key, params object[] args) => RequestTexts.In(culture, key, args);
        var email = $"visitor{Guid.NewGuid():N}"[..20] + "@example.org";
        var visitor = await Session.NewVisitorAsync(locale: locale);

        // The visitor accepts cookies, then files an access request from the privacy policy: the consent id comes from their choice.
        await visitor.GotoAsync("/privacy");
        var banner = visitor.GetByRole(AriaRole.Region, new() { Name = VisitorTexts.Resources.GetString("Banner.Title", culture) });
        await banner.GetByRole(AriaRole.Button, new() { Name = VisitorTexts.Resources.GetString("Action.AcceptAll", culture) }).ClickAsync();
        await visitor.WaitForChoiceSavedAsync();
        var choice = Assert.Single(await Session.RecordsOfAsync(visitor));
        await visitor.GetByRole(AriaRole.Link, new() { Name = R("Form.Link.Label") }).ClickAsync();
        await Expect(visitor).ToHaveURLAsync(new Regex("/privacy/request$"));
        await Expect(visitor.GetByLabel(R("Form.Field.ConsentId"), new() { Exact = false })).ToHaveValueAsync(choice.Id.ToString("D"));
        await visitor.GetByLabel(R("Form.Field.Type")).SelectOptionAsync(new SelectOptionValue { Label = R("Form.Type.access") });
        await visitor.GetByLabel(R("Form.Field.Email"), new() { Exact = true }).FillAsync(email);
        await visitor.GetByRole(AriaRole.Button, new() { Name = R("Form.Submit") }).ClickAsync();
        await Expect(visitor.GetByTestId("verify-sent")).ToBeVisibleAsync();

        // The address is confirmed by the mail's link (which alone changes nothing) and its button.
        var code = await Session.Mail.WaitForMailToAsync(email, MailWait);
        await visitor.GotoAsync(code.LinkTo("/privacy/request/verify"));
        await visitor.GetByRole(AriaRole.Button, new() { Name = R("Verify.Submit") }).ClickAsync();
        var received = visitor.GetByTestId("request-received");
        await Expect(received).ToBeVisibleAsync();
        var reference = Regex.Match(await received.InnerTextAsync(), "R-[0-9A-Z]{8}").Value;
        var acknowledgement = await Session.Mail.WaitForAsync(m => m.To.ToString().Contains(email) && m.Subject == R("Mail.Acknowledged.Subject", reference), MailWait);
        Assert.Contains(reference, acknowledgement.TextBody);

        // A DPO signs in, finds the request in the inbox, attaches the consent history and answers.
        var dpoEmail = $"dpo{Guid.NewGuid():N}"[..12] + "@example.org";
        var password = await Session.App.Services.GetRequiredService<TeamAccounts>().CreateAsync(new TeamMemberInput { Email = dpoEmail, Role = TeamRoles.Dpo }, "test");
        var dpo = await Session.NewVisitorAsync();
        await dpo.GotoAsync("/admin/requests");
        await dpo.GetByLabel("Email").FillAsync(dpoEmail);
        await dpo.GetByLabel("Password").FillAsync(password);
        await dpo.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await dpo.WaitForRedirectAsync("/admin/requests");
        await dpo.WaitUntilTeamCenterInteractiveAsync();
        await dpo.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
        await Expect(dpo.GetByTestId("request-reference")).ToHaveTextAsync(reference);
        await dpo.WaitUntilTeamCenterInteractiveAsync();
        await dpo.GetByRole(AriaRole.Button, new() { Name = "Attach the consent history" }).ClickAsync();
        await Expect(dpo.GetByTestId("request-files")).ToContainTextAsync($"consent-history-{reference}.json");
        await dpo.GetByRole(AriaRole.Button, new() { Name = "Write a reply" }).ClickAsync();
        await dpo.GetByRole(AriaRole.Button, new() { Name = "Send and close as answered" }).ClickAsync();
        await Expect(dpo.GetByTestId("request-status")).ToHaveTextAsync("Answered");

        // The visitor receives the answer with a link, never the file, and downloads exactly their consent history.
        var answer = await Session.Mail.WaitForAsync(m => m.To.ToString().Contains(email) && (m.Subject ?? "").Contains(reference) && (m.TextBody ?? "").Contains("/privacy/request/file"), MailWait);
        Assert.Empty(answer.Attachments);
        var link = answer.LinkTo("/privacy/request/file");
        var download = await visitor.RunAndWaitForDownloadAsync(async () =>
        {
            // Chromium answers a navigation to a download by aborting it; the download is what counts.
            try { await visitor.GotoAsync(link); } catch (PlaywrightException) { }
        });
        using var history = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync()));
        var records = history.RootElement.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(choice.Id, Assert.Single(records).GetProperty("consentId").GetGuid());

        // Every step is in the audit trail under the request's reference.
        await using var db = await Session.App.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var actions = await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "RightsRequest" && a.EntityKey == reference).OrderBy(a => a.Id).Select(a => a.Action).ToListAsync();
        Assert.Equal(["request.file", "request.verify", "request.attach", "request.answer"], actions);
        var stored = await db.RightsRequests.AsNoTracking().SingleAsync(r => r.Reference == reference);
        Assert.Equal((RequestStatus.Answered, choice.VisitorId), (stored.Status, stored.VisitorId));
    }
}
