using Consent.Core.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Members;

/// <summary>
/// ASP.NET Core Identity's store for members, on the <c>Members</c> table: passwords, e-mail confirmation, security stamps
/// and lockout. The team's accounts keep Identity's own tables, so neither kind of account can be found as the other.
/// </summary>
public sealed class MemberStore(ConsentDbContext db) :
    IUserPasswordStore<Member>, IUserEmailStore<Member>, IUserSecurityStampStore<Member>, IUserLockoutStore<Member>
{
    public async Task<IdentityResult> CreateAsync(Member user, CancellationToken ct)
    {
        db.Members.Add(user);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> UpdateAsync(Member user, CancellationToken ct)
    {
        if (db.Entry(user).State == EntityState.Detached) db.Members.Attach(user).State = EntityState.Modified;
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return IdentityResult.Failed(new IdentityErrorDescriber().ConcurrencyFailure());
        }
        return IdentityResult.Success;
    }

    public async Task<IdentityResult> DeleteAsync(Member user, CancellationToken ct)
    {
        db.Members.Remove(user);
        await db.SaveChangesAsync(ct);
        return IdentityResult.Success;
    }

    public Task<Member?> FindByIdAsync(string userId, CancellationToken ct) => db.Members.FirstOrDefaultAsync(m => m.Id == userId, ct);

    public Task<Member?> FindByNameAsync(string normalizedUserName, CancellationToken ct) =>
        db.Members.FirstOrDefaultAsync(m => m.NormalizedUserName == normalizedUserName, ct);

    public Task<Member?> FindByEmailAsync(string normalizedEmail, CancellationToken ct) =>
        db.Members.FirstOrDefaultAsync(m => m.NormalizedEmail == normalizedEmail, ct);

    public Task<string> GetUserIdAsync(Member user, CancellationToken ct) => Task.FromResult(user.Id);
    public Task<string?> GetUserNameAsync(Member user, CancellationToken ct) => Task.FromResult<string?>(user.UserName);
    public Task<string?> GetNormalizedUserNameAsync(Member user, CancellationToken ct) => Task.FromResult(user.NormalizedUserName);

    public Task SetUserNameAsync(Member user, string? userName, CancellationToken ct)
    {
        user.UserName = userName ?? "";
        return Task.CompletedTask;
    }

    public Task SetNormalizedUserNameAsync(Member user, string? normalizedName, CancellationToken ct)
    {
        user.NormalizedUserName = normalizedName;
        return Task.CompletedTask;
    }

    public Task<string?> GetPasswordHashAsync(Member user, CancellationToken ct) => Task.FromResult(user.PasswordHash);
    public Task<bool> HasPasswordAsync(Member user, CancellationToken ct) => Task.FromResult(user.PasswordHash is not null);

    public Task SetPasswordHashAsync(Member user, string? passwordHash, CancellationToken ct)
    {
        user.PasswordHash = passwordHash;
        return Task.CompletedTask;
    }

    public Task<string?> GetEmailAsync(Member user, CancellationToken ct) => Task.FromResult<string?>(user.Email);
    public Task<bool> GetEmailConfirmedAsync(Member user, CancellationToken ct) => Task.FromResult(user.EmailConfirmed);
    public Task<string?> GetNormalizedEmailAsync(Member user, CancellationToken ct) => Task.FromResult(user.NormalizedEmail);

    public Task SetEmailAsync(Member user, string? email, CancellationToken ct)
    {
        user.Email = email ?? "";
        return Task.CompletedTask;
    }

    public Task SetEmailConfirmedAsync(Member user, bool confirmed, CancellationToken ct)
    {
        user.EmailConfirmed = confirmed;
        return Task.CompletedTask;
    }

    public Task SetNormalizedEmailAsync(Member user, string? normalizedEmail, CancellationToken ct)
    {
        user.NormalizedEmail = normalizedEmail;
        return Task.CompletedTask;
    }

    public Task<string?> GetSecurityStampAsync(Member user, CancellationToken ct) => Task.FromResult<string?>(user.SecurityStamp);

    public Task SetSecurityStampAsync(Member user, string stamp, CancellationToken ct)
    {
        user.SecurityStamp = stamp;
        return Task.CompletedTask;
    }

    public Task<DateTimeOffset?> GetLockoutEndDateAsync(Member user, CancellationToken ct) =>
        Task.FromResult(user.LockoutEndUtc is { } end ? new DateTimeOffset(DateTime.SpecifyKind(end, DateTimeKind.Utc)) : (DateTimeOffset?)null);

    public Task SetLockoutEndDateAsync(Member user, DateTimeOffset? lockoutEnd, CancellationToken ct)
    {
        user.LockoutEndUtc = lockoutEnd?.UtcDateTime;
        return Task.CompletedTask;
    }

    public Task<int> IncrementAccessFailedCountAsync(Member user, CancellationToken ct) => Task.FromResult(++user.AccessFailedCount);

    public Task ResetAccessFailedCountAsync(Member user, CancellationToken ct)
    {
        user.AccessFailedCount = 0;
        return Task.CompletedTask;
    }

    public Task<int> GetAccessFailedCountAsync(Member user, CancellationToken ct) => Task.FromResult(user.AccessFailedCount);
    public Task<bool> GetLockoutEnabledAsync(Member user, CancellationToken ct) => Task.FromResult(user.LockoutEnabled);

    public Task SetLockoutEnabledAsync(Member user, bool enabled, CancellationToken ct)
    {
        user.LockoutEnabled = enabled;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        // The context belongs to the scope.
    }
}
