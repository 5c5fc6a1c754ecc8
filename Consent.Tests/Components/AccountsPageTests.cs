using Bunit;
using Consent.App.Components.Admin;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;

namespace Consent.Tests.Components;

public class AccountsPageTests() : AppPageTest(ConsentAppFactory.AdminEmail, TeamRoles.Admin)
{
    private const string NewDpo = "dpo@example.org";

    [Fact]
    public async Task An_admin_adds_a_dpo_who_then_has_the_dpo_role_audited()
    {
        bunit.Render<MudPopoverProvider>();
        var cut = bunit.Render<AccountsPage>();
        cut.WaitForAssertion(() => Assert.NotEmpty(cut.FindAll("[data-testid=accounts-table] tbody tr")));
        Assert.Contains("DPOs read and export as Analysts do, and answer the rights requests", cut.Markup);

        var form = cut.Find("[data-testid=accounts-add]");
        form.QuerySelector("input[type=email]")!.Change(NewDpo);
        var role = cut.FindComponents<MudSelect<string>>().Single(s => s.Instance.Label == "Role");
        await cut.InvokeAsync(() => role.Instance.ValueChanged.InvokeAsync(TeamRoles.Dpo));
        cut.FindAll("button").Single(b => b.TextContent.Trim() == "Add member").Click();

        cut.WaitForAssertion(() => Assert.Equal($"{NewDpo} can now sign in as DPO.", cut.Find("[data-testid=accounts-message]").TextContent.Trim()));
        Assert.NotEmpty(cut.Find("[data-testid=accounts-new-password] code").TextContent);
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        Assert.Equal([TeamRoles.Dpo], await users.GetRolesAsync((await users.FindByEmailAsync(NewDpo))!));
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        var audited = await db.AuditEntries.SingleAsync(a => a.Action == "account.create" && a.EntityKey == NewDpo);
        Assert.Contains("\"role\":\"DPO\"", audited.After);
    }
}
