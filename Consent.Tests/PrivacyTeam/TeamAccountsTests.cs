using System.Net;
using Consent.Core.Audit;
using Consent.Core.Persistence;
using Consent.Core.PrivacyTeam;
using Consent.Tests.Support;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.PrivacyTeam;

/// <summary>Accounts managed by Admins, on the real app's Identity and database.</summary>
public abstract class TeamAccountsTests(TestEngine engine) : IAsyncLifetime
{
    public sealed class OnSqlite() : TeamAccountsTests(TestEngine.Sqlite);

    [Trait("Engine", "Postgres")]
    public sealed class OnPostgres() : TeamAccountsTests(TestEngine.Postgres);

    private ConsentAppFactory app = null!;
    private TeamAccounts accounts = null!;

    public async ValueTask InitializeAsync()
    {
        app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(engine));
        accounts = app.Services.GetRequiredService<TeamAccounts>();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null) await app.DisposeAsync();
    }

    private async Task<List<AuditEntry>> AuditAsync()
    {
        await using var db = await app.Services.GetRequiredService<IDbContextFactory<ConsentDbContext>>().CreateDbContextAsync();
        return await db.AuditEntries.AsNoTracking().Where(a => a.EntityType == "Account").OrderBy(a => a.Id).ToListAsync();
    }

    [Fact]
    public async Task A_new_member_signs_in_with_the_generated_password_and_the_creation_is_audited()
    {
        var password = await accounts.CreateAsync(new TeamMemberInput { Email = "new@example.org", Role = TeamRoles.Analyst }, ConsentAppFactory.AdminEmail);

        Assert.True(password.Length >= 12);
        var member = Assert.Single(await accounts.ListAsync(), m => m.Email == "new@example.org");
        Assert.Equal(TeamRoles.Analyst, member.Role);
        using var client = app.CreateTeamClient();
        Assert.Equal(HttpStatusCode.Redirect, (await client.SignInAsync("new@example.org", password)).StatusCode);
        var audit = await AuditAsync();
        Assert.Equal(["account.create", "account.sign-in"], audit.Select(a => a.Action));
        Assert.Equal(("account.create", ConsentAppFactory.AdminEmail, "new@example.org"), (audit[0].Action, audit[0].Actor, audit[0].EntityKey));
        Assert.All(audit, a => Assert.DoesNotContain(password, a.After));
    }

    [Fact]
    public async Task Bad_input_and_duplicates_are_refused_and_change_nothing()
    {
        var invalid = await Assert.ThrowsAsync<ValidationException>(() => accounts.CreateAsync(new TeamMemberInput { Email = "not an email", Role = "Owner" }, "x"));
        Assert.Contains(invalid.Errors, e => e.PropertyName == "Email");
        Assert.Contains(invalid.Errors, e => e.PropertyName == "Role" && e.ErrorMessage == "Choose Admin, Analyst or DPO.");
        var duplicate = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.CreateAsync(new TeamMemberInput { Email = ConsentAppFactory.AdminEmail, Role = TeamRoles.Analyst }, "x"));
        Assert.Contains("already has an account", duplicate.Message);
        Assert.Single(await accounts.ListAsync());
        Assert.Empty(await AuditAsync());
    }

    [Fact]
    public async Task The_last_admin_can_be_neither_demoted_nor_removed_and_nobody_removes_themselves()
    {
        var admin = Assert.Single(await accounts.ListAsync());
        var demote = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.ChangeRoleAsync(admin.Id, TeamRoles.Analyst, "someone@example.org"));
        Assert.Contains("last Admin", demote.Message);
        var remove = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.RemoveAsync(admin.Id, "someone@example.org"));
        Assert.Contains("last Admin", remove.Message);
        var self = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.RemoveAsync(admin.Id, ConsentAppFactory.AdminEmail));
        Assert.Contains("your own account", self.Message);
        Assert.Equal(TeamRoles.Admin, Assert.Single(await accounts.ListAsync()).Role);

        await accounts.CreateAsync(new TeamMemberInput { Email = "second@example.org", Role = TeamRoles.Admin }, ConsentAppFactory.AdminEmail);
        await accounts.ChangeRoleAsync(admin.Id, TeamRoles.Analyst, "second@example.org");
        Assert.Equal(TeamRoles.Analyst, (await accounts.ListAsync()).Single(m => m.Id == admin.Id).Role);
        Assert.Equal(["account.create", "account.role"], (await AuditAsync()).Select(a => a.Action));
    }

    [Fact]
    public async Task A_locked_member_is_unlocked_by_an_admin_and_a_member_changes_their_password()
    {
        using (var client = app.CreateTeamClient())
        {
            for (var i = 0; i < 5; i++) await client.SignInAsync(ConsentAppFactory.AdminEmail, "wrong password, again");
        }
        var admin = Assert.Single(await accounts.ListAsync());
        Assert.NotNull(admin.LockedUntil);

        await accounts.UnlockAsync(admin.Id, "other-admin@example.org");
        Assert.Null(Assert.Single(await accounts.ListAsync()).LockedUntil);

        var wrongCurrent = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.ChangeOwnPasswordAsync(ConsentAppFactory.AdminEmail, "not my password", "a brand new passphrase"));
        Assert.Contains("Incorrect password", wrongCurrent.Message);
        var tooShort = await Assert.ThrowsAsync<TeamAccountException>(() => accounts.ChangeOwnPasswordAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword, "short"));
        Assert.Contains("at least 12 characters", tooShort.Message);

        await accounts.ChangeOwnPasswordAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword, "a brand new passphrase");
        using var after = app.CreateTeamClient();
        Assert.Equal(HttpStatusCode.OK, (await after.SignInAsync(ConsentAppFactory.AdminEmail, ConsentAppFactory.AdminPassword)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await after.SignInAsync(ConsentAppFactory.AdminEmail, "a brand new passphrase")).StatusCode);
    }

    [Fact]
    public async Task The_consent_log_export_streams_csv_to_the_team_and_refuses_bad_dates()
    {
        using var visitor = app.CreateVisitorClient();
        await visitor.PostChoiceAsync(VisitorRequests.BannerForm("accept-all"));
        using var analyst = await app.SignedInAnalystAsync();
        var day = app.Time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd");

        var response = await analyst.GetAsync($"/admin/export/consents.csv?from={day}&to={day}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Contains(",AcceptAll,Banner,", lines[1]);

        var bad = await analyst.GetAsync($"/admin/export/consents.csv?from=yesterday&to={day}");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        Assert.Contains("\"from\"", await bad.Content.ReadAsStringAsync());
        var reversed = await analyst.GetAsync($"/admin/export/consents.csv?from={day}&to=2020-01-01");
        Assert.Contains("comes before", await reversed.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_role_change_ends_the_members_open_session_within_a_minute()
    {
        await app.CreateMemberAsync("second@example.org", TeamRoles.Admin, "second admin passphrase");
        using var second = app.CreateTeamClient();
        await second.SignInAsync("second@example.org", "second admin passphrase");
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/admin/accounts")).StatusCode);

        var member = (await accounts.ListAsync()).Single(m => m.Email == "second@example.org");
        await accounts.ChangeRoleAsync(member.Id, TeamRoles.Analyst, ConsentAppFactory.AdminEmail);
        app.Time.Advance(TimeSpan.FromMinutes(2));

        var after = await second.GetAsync("/admin/accounts");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }
}
