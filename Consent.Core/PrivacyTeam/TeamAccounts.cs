using Consent.Core.Audit;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Core.PrivacyTeam;

/// <summary>A member of the privacy team as the accounts page lists them.</summary>
public sealed record TeamMember(string Id, string Email, string Role, DateTimeOffset? LockedUntil);

/// <summary>A new account: who, and with which role.</summary>
public sealed class TeamMemberInput
{
    public string? Email { get; set; }
    public string? Role { get; set; } = TeamRoles.Analyst;
}

public sealed class TeamMemberInputValidator : AbstractValidator<TeamMemberInput>
{
    public TeamMemberInputValidator()
    {
        RuleFor(x => x.Email).Cascade(CascadeMode.Stop)
            .NotEmpty().WithMessage("Enter the new member's email address.")
            .MaximumLength(256).WithMessage("An email address has at most 256 characters.")
            .EmailAddress().WithMessage("Enter an email address, such as name@example.org.");
        RuleFor(x => x.Role)
            .Must(r => r is not null && TeamRoles.All.Contains(r)).WithMessage("Choose Admin, Analyst or DPO.");
    }
}

/// <summary>A change the accounts rules forbid, with the reason to show.</summary>
public sealed class TeamAccountException(string message) : Exception(message);

/// <summary>
/// The privacy team's accounts, managed by Admins: create (with a one-time generated password), change
/// role, unlock, remove; and a member's own password change. Every change is audited in the same save.
/// The team always keeps at least one Admin.
/// </summary>
public sealed class TeamAccounts(
    IServiceScopeFactory scopes, IDbContextFactory<ConsentDbContext> dbFactory, IValidator<TeamMemberInput> validator, TimeProvider time)
{
    public async Task<IReadOnlyList<TeamMember>> ListAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var members = new List<TeamMember>();
        foreach (var user in users.Users.OrderBy(u => u.Email).ToList())
        {
            var roles = await users.GetRolesAsync(user);
            // Identity's own clock decides whether the lockout still holds.
            var lockedUntil = await users.IsLockedOutAsync(user) ? user.LockoutEnd : null;
            members.Add(new TeamMember(user.Id, user.Email ?? user.UserName ?? "", roles.FirstOrDefault() ?? "(none)", lockedUntil));
        }
        return members;
    }

    /// <summary>The e-mail addresses of the accounts holding any of <paramref name="roles"/>, each once (case ignored), in order.</summary>
    public async Task<IReadOnlyList<string>> EmailsInRolesAsync(IReadOnlyList<string> roles, CancellationToken ct = default)
    {
        // Straight from Identity's tables, so that services reading it need no user manager (nor the app's Identity set-up).
        var names = roles.ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var addresses = await (from user in db.Users
                               join userRole in db.UserRoles on user.Id equals userRole.UserId
                               join role in db.Roles on userRole.RoleId equals role.Id
                               where names.Contains(role.Name!)
                               select user.Email ?? user.UserName).ToListAsync(ct);
        return [.. new SortedSet<string>(addresses.Select(a => a?.Trim()).OfType<string>().Where(a => a.Length > 0), StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>Creates the account and returns its generated password, to be handed over once and changed at first sign-in.</summary>
    public async Task<string> CreateAsync(TeamMemberInput input, string actor)
    {
        await validator.ValidateAndThrowAsync(input);
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var email = input.Email!.Trim();
        if (await users.FindByEmailAsync(email) is not null) throw new TeamAccountException($"{email} already has an account.");
        var password = FirstAdmin.Generate();
        var user = new IdentityUser { UserName = email, Email = email, EmailConfirmed = true };
        Audit(scope, actor, "account.create", email, null, new { email, role = input.Role });
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, input.Role!));
        return password;
    }

    public async Task ChangeRoleAsync(string userId, string role, string actor)
    {
        if (!TeamRoles.All.Contains(role)) throw new TeamAccountException("Choose Admin, Analyst or DPO.");
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await FindAsync(users, userId);
        var current = (await users.GetRolesAsync(user)).ToList();
        if (current.SequenceEqual([role])) return;
        if (current.Contains(TeamRoles.Admin) && role != TeamRoles.Admin) await KeepOneAdminAsync(users, "change the role of");
        Audit(scope, actor, "account.role", user.Email!, new { role = current.FirstOrDefault() }, new { role });
        Check(await users.RemoveFromRolesAsync(user, current));
        Check(await users.AddToRoleAsync(user, role));
        // Signed-in sessions of this member carry the old role: a new stamp ends them.
        Check(await users.UpdateSecurityStampAsync(user));
    }

    public async Task UnlockAsync(string userId, string actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await FindAsync(users, userId);
        Audit(scope, actor, "account.unlock", user.Email!, new { lockedUntil = user.LockoutEnd }, new { lockedUntil = (DateTimeOffset?)null });
        Check(await users.SetLockoutEndDateAsync(user, null));
        Check(await users.ResetAccessFailedCountAsync(user));
    }

    public async Task RemoveAsync(string userId, string actor)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await FindAsync(users, userId);
        if (string.Equals(user.Email, actor, StringComparison.OrdinalIgnoreCase) || string.Equals(user.UserName, actor, StringComparison.OrdinalIgnoreCase))
        {
            throw new TeamAccountException("You cannot remove your own account; another Admin can.");
        }
        if (await users.IsInRoleAsync(user, TeamRoles.Admin)) await KeepOneAdminAsync(users, "remove");
        Audit(scope, actor, "account.remove", user.Email!, new { email = user.Email }, null);
        Check(await users.DeleteAsync(user));
    }

    /// <summary>A member changes their own password (the generated one first of all).</summary>
    public async Task ChangeOwnPasswordAsync(string userName, string currentPassword, string newPassword)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        var user = await users.FindByNameAsync(userName) ?? throw new TeamAccountException("Your account no longer exists.");
        Audit(scope, userName, "account.password", user.Email!, null, null);
        Check(await users.ChangePasswordAsync(user, currentPassword, newPassword));
    }

    /// <summary>
    /// Signing out: a new security stamp ends the member's other open tabs and devices too (within the revalidation
    /// minute), audited in the same save. Nothing to do for an account removed meanwhile.
    /// </summary>
    public async Task EndSessionsAsync(string userId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return;
        Audit(scope, user.Email!, "account.sign-out", user.Email!, null, new { email = user.Email });
        Check(await users.UpdateSecurityStampAsync(user));
    }

    private static async Task<IdentityUser> FindAsync(UserManager<IdentityUser> users, string id) =>
        await users.FindByIdAsync(id) ?? throw new TeamAccountException("This account no longer exists.");

    private static async Task KeepOneAdminAsync(UserManager<IdentityUser> users, string what)
    {
        if ((await users.GetUsersInRoleAsync(TeamRoles.Admin)).Count <= 1)
        {
            throw new TeamAccountException($"You cannot {what} the last Admin: make another member Admin first.");
        }
    }

    /// <summary>Tracked on the scope's context, so the user manager's own save stores it with the change.</summary>
    private void Audit(AsyncServiceScope scope, string actor, string action, string email, object? before, object? after) =>
        AuditTrail.Record(scope.ServiceProvider.GetRequiredService<ConsentDbContext>(), time.GetUtcNow().UtcDateTime, actor, action, "Account", email, before, after);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded) throw new TeamAccountException(string.Join(" ", result.Errors.Select(e => e.Description)));
    }
}
