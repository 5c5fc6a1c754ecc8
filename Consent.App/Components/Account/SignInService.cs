using System.Security.Cryptography;
using Consent.App.RateLimits;
using Consent.Core.Audit;
using Consent.Core.Persistence;
using Microsoft.AspNetCore.Identity;

namespace Consent.App.Components.Account;

/// <summary>What a sign-in attempt came to: signed in, refused (one answer whatever the reason), or refused by a limit.</summary>
public sealed record SignInOutcome(bool Succeeded, SignInRefusal? Limited = null);

/// <summary>
/// Signs a member of the privacy team in with their password so that neither the answer nor its time tells a stranger
/// which emails have an account: an unknown email and a locked account verify a password hash as a wrong password does,
/// and all three get the same answer. Attempts are limited per client and per email first (<see cref="SignInLimits"/>).
/// Sign-ins, failures and lockouts of an account are logged by account id and written to the audit trail; a failure for
/// an unknown email is logged without anything typed, and not audited (it concerns no account, and would let anyone fill the trail).
/// </summary>
public sealed partial class SignInService(
    SignInManager<IdentityUser> signIn,
    UserManager<IdentityUser> users,
    IPasswordHasher<IdentityUser> hasher,
    ConsentDbContext identityStore,
    SignInLimits limits,
    TimeProvider time,
    ILogger<SignInService> log)
{
    /// <summary>Who the audit trail names for an attempt: nobody is signed in yet.</summary>
    public const string NotSignedIn = "not signed in";

    private static readonly SignInOutcome Refused = new(false);
    private static readonly IdentityUser Nobody = new();
    private static string? dummyHash;

    public async Task<SignInOutcome> SignInAsync(string email, string password, string client)
    {
        email = email.Trim();
        if (limits.TryAcquire(client, users.NormalizeEmail(email)) is { } refusal) return new(false, refusal);

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            VerifyDummyHash(password);
            LogUnknownAccount(log);
            return Refused;
        }
        if (await users.IsLockedOutAsync(user) || !await signIn.CanSignInAsync(user))
        {
            // Identity refuses a locked account before hashing; the hash is verified all the same, so the time tells nothing.
            VerifyDummyHash(password);
            Audit(NotSignedIn, "account.sign-in-failure", user, new { email = user.Email, reason = "locked-out" });
            await identityStore.SaveChangesAsync();
            LogLockedOutAttempt(log, user.Id);
            return Refused;
        }
        if (!await users.CheckPasswordAsync(user, password))
        {
            // Identity's store shares this context: the failure count and its audit entry are saved together.
            Audit(NotSignedIn, "account.sign-in-failure", user, new { email = user.Email, reason = "wrong-password" });
            await users.AccessFailedAsync(user);
            LogWrongPassword(log, user.Id);
            if (await users.IsLockedOutAsync(user))
            {
                var until = await users.GetLockoutEndDateAsync(user);
                Audit(NotSignedIn, "account.lockout", user, new { email = user.Email, lockedUntil = until });
                await identityStore.SaveChangesAsync();
                LogLockedOut(log, user.Id, until);
            }
            return Refused;
        }

        await users.ResetAccessFailedCountAsync(user);
        Audit(user.Email!, "account.sign-in", user, new { email = user.Email });
        await identityStore.SaveChangesAsync();
        await signIn.SignInAsync(user, isPersistent: false);
        LogSignedIn(log, user.Id);
        return new(true);
    }

    /// <summary>The work of checking a wrong password, against a hash made once with the real hasher from a random password.</summary>
    private void VerifyDummyHash(string password)
    {
        var hash = dummyHash ??= hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }

    /// <summary>Tracked on Identity's context, so the next save of either stores it.</summary>
    private void Audit(string actor, string action, IdentityUser user, object after) =>
        AuditTrail.Record(identityStore, time.GetUtcNow().UtcDateTime, actor, action, "Account", user.Email!, null, after);

    [LoggerMessage(EventId = 3001, EventName = "SignedIn", Level = LogLevel.Information, Message = "Team member {AccountId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3002, EventName = "SignInFailed", Level = LogLevel.Information, Message = "A sign-in as team member {AccountId} failed: wrong password")]
    private static partial void LogWrongPassword(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3003, EventName = "SignInFailedUnknownAccount", Level = LogLevel.Information,
        Message = "A sign-in failed: no account has the email given (what was typed is not logged)")]
    private static partial void LogUnknownAccount(ILogger logger);

    [LoggerMessage(EventId = 3004, EventName = "SignInRefusedLockedOut", Level = LogLevel.Information,
        Message = "A sign-in as team member {AccountId} was refused: the account is locked out")]
    private static partial void LogLockedOutAttempt(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3005, EventName = "AccountLockedOut", Level = LogLevel.Warning,
        Message = "Team member {AccountId} is locked out until {LockedUntil} after too many failed sign-ins")]
    private static partial void LogLockedOut(ILogger logger, string accountId, DateTimeOffset? lockedUntil);
}
