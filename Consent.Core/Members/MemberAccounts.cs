using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Logging;

namespace Consent.Core.Members;

/// <summary>What a member's sign-in attempt came to; <see cref="MemberSignIn.Refused"/> whatever the reason a stranger may not learn.</summary>
public enum MemberSignInResult
{
    SignedIn,
    Refused,
    Unconfirmed,
}

public sealed record MemberSignIn(MemberSignInResult Result, Member? Member = null)
{
    public static readonly MemberSignIn Refused = new(MemberSignInResult.Refused);
}

/// <summary>
/// The members' account flows with Identity (<see cref="UserManager{Member}"/> on <see cref="MemberStore"/>): sign-up, e-mail
/// confirmation, sign-in, forgotten and changed passwords, a new e-mail address. No answer tells a stranger which addresses have
/// an account: sign-up and a forgotten password answer the same for both, and the mail says the rest to the address's owner.
/// Audited under the account id, never the address; logged by account id only.
/// </summary>
public sealed partial class MemberAccounts(
    UserManager<Member> users,
    ConsentDbContext identityStore,
    IPasswordHasher<Member> hasher,
    MemberService members,
    MemberMails mails,
    IValidator<SignUpInput> signUpValidator,
    IValidator<PasswordInput> passwordValidator,
    IDataProtectionProvider dataProtection,
    TimeProvider time,
    ILogger<MemberAccounts> log)
{
    public const string ConfirmPath = "/members/confirm";
    public const string ResetPasswordPath = "/members/reset-password";
    public const string EmailConfirmPath = "/members/email/confirm";
    public const string SignInPath = "/members/signin";
    public const string ForgotPasswordPath = "/members/forgot-password";

    /// <summary>Who the audit trail names for an attempt: nobody is signed in yet.</summary>
    public const string NotSignedIn = "not signed in";

    private static readonly Member Nobody = new() { UserName = "", Email = "", Language = "en", SubjectId = "" };
    private static string? dummyHash;

    // The new address travels in the link protected, so that it is neither readable in it nor in a request log.
    private readonly IDataProtector addresses = dataProtection.CreateProtector("Consent.Members.EmailChange.v1");

    /// <summary>
    /// Creates an unconfirmed account and mails its confirmation link; for an address that has an account already, creates nothing
    /// and mails its owner instead. Throws <see cref="ValidationException"/> for bad input or a username taken.
    /// </summary>
    public async Task SignUpAsync(SignUpInput input, string language, Uri center, CancellationToken ct = default)
    {
        await signUpValidator.ValidateAndThrowAsync(input, ct);
        var email = input.Email!.Trim();
        var userName = input.UserName!.Trim();
        if (await users.FindByNameAsync(userName) is not null) throw Failure(nameof(SignUpInput.UserName), "Field.UserName.Taken");
        if (await users.FindByEmailAsync(email) is { } existing)
        {
            // As much work as a new account's password hash, so that the time tells nothing either.
            VerifyDummyHash(input.Password!);
            LogSignUpForExisting(log, existing.Id);
            await mails.SendAlreadyRegisteredAsync(existing, new Uri(center, SignInPath), new Uri(center, ForgotPasswordPath), ct);
            return;
        }
        var now = Now();
        var member = new Member
        {
            UserName = userName,
            Email = email,
            Language = language,
            SubjectId = ConsentCookie.NewVisitorId(),
            CreatedAt = now,
            LastContactAt = now,
            Company = Optional(input.Company),
            JobTitle = Optional(input.JobTitle),
            Country = Optional(input.Country),
            City = Optional(input.City),
            LinkedInUrl = Optional(input.LinkedInUrl),
        };
        var created = await users.CreateAsync(member, input.Password!);
        if (!created.Succeeded)
        {
            // Taken by a sign-up at the same moment, or a password Identity's rules refuse beyond its length.
            if (created.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.DuplicateEmail))) return;
            throw IdentityFailure(created, nameof(SignUpInput.Password));
        }
        Audit(MemberService.MemberActor, "member.sign-up", member.Id, new { language });
        await identityStore.SaveChangesAsync(ct);
        LogSignedUp(log, member.Id);
        await SendConfirmationAsync(member, center, ct);
    }

    /// <summary>Mails a new confirmation link to an unconfirmed account of this address; nothing for any other address.</summary>
    public async Task ResendConfirmationAsync(string email, Uri center, CancellationToken ct = default)
    {
        if (await users.FindByEmailAsync(email.Trim()) is { EmailConfirmed: false } member) await SendConfirmationAsync(member, center, ct);
    }

    /// <summary>Confirms the address of a confirmation link (a contact of the member); null for a wrong or expired link.</summary>
    public async Task<Member?> ConfirmEmailAsync(string? memberId, string? token, CancellationToken ct = default)
    {
        if (await FindAsync(memberId) is not { } member || Decode(token) is not { } code) return null;
        var wasConfirmed = member.EmailConfirmed;
        if (!(await users.ConfirmEmailAsync(member, code)).Succeeded) return null;
        if (!wasConfirmed)
        {
            Audit(MemberService.MemberActor, "member.confirm", member.Id, null);
            await identityStore.SaveChangesAsync(ct);
        }
        await members.TouchAsync(member.Id, ct);
        return member;
    }

    /// <summary>
    /// Checks a sign-in by e-mail address or username. An unknown login, a wrong password and a locked account are one answer, with
    /// the same work; only the right password of an unconfirmed account learns that it must be confirmed first.
    /// </summary>
    public async Task<MemberSignIn> SignInAsync(string login, string password, CancellationToken ct = default)
    {
        login = login.Trim();
        var member = login.Contains('@') ? await users.FindByEmailAsync(login) : await users.FindByNameAsync(login);
        if (member is null)
        {
            VerifyDummyHash(password);
            LogUnknownAccount(log);
            return MemberSignIn.Refused;
        }
        if (await users.IsLockedOutAsync(member))
        {
            VerifyDummyHash(password);
            Audit(NotSignedIn, "member.sign-in-failure", member.Id, new { reason = "locked-out" });
            await identityStore.SaveChangesAsync(ct);
            LogLockedOutAttempt(log, member.Id);
            return MemberSignIn.Refused;
        }
        if (!await users.CheckPasswordAsync(member, password))
        {
            // Identity's store shares this context: the failure count and its audit entries are saved together.
            Audit(NotSignedIn, "member.sign-in-failure", member.Id, new { reason = "wrong-password" });
            await users.AccessFailedAsync(member);
            LogWrongPassword(log, member.Id);
            if (await users.IsLockedOutAsync(member))
            {
                var until = await users.GetLockoutEndDateAsync(member);
                Audit(NotSignedIn, "member.lockout", member.Id, new { lockedUntil = until });
                await identityStore.SaveChangesAsync(ct);
                LogLockedOut(log, member.Id, until);
            }
            return MemberSignIn.Refused;
        }
        if (!member.EmailConfirmed)
        {
            Audit(NotSignedIn, "member.sign-in-failure", member.Id, new { reason = "unconfirmed" });
            await identityStore.SaveChangesAsync(ct);
            return new MemberSignIn(MemberSignInResult.Unconfirmed);
        }
        await users.ResetAccessFailedCountAsync(member);
        Audit(MemberService.MemberActor, "member.sign-in", member.Id, null);
        await identityStore.SaveChangesAsync(ct);
        LogSignedIn(log, member.Id);
        return new MemberSignIn(MemberSignInResult.SignedIn, member);
    }

    /// <summary>Mails a password reset link if the address has an account; the caller answers the same either way.</summary>
    public async Task ForgotPasswordAsync(string email, Uri center, CancellationToken ct = default)
    {
        if (await users.FindByEmailAsync(email.Trim()) is not { } member) return;
        var token = await users.GeneratePasswordResetTokenAsync(member);
        await mails.SendPasswordResetAsync(member, new Uri(center, $"{ResetPasswordPath}?id={Uri.EscapeDataString(member.Id)}&token={Encode(token)}"), ct);
    }

    /// <summary>
    /// Sets the new password of a reset link and ends the member's other sessions (a new security stamp). False for a wrong or expired
    /// link; <see cref="ValidationException"/> for a password Identity refuses.
    /// </summary>
    public async Task<bool> ResetPasswordAsync(string? memberId, string? token, PasswordInput input, CancellationToken ct = default)
    {
        await passwordValidator.ValidateAndThrowAsync(input, ct);
        if (await FindAsync(memberId) is not { } member || Decode(token) is not { } code) return false;
        var reset = await users.ResetPasswordAsync(member, code, input.Password!);
        if (!reset.Succeeded)
        {
            if (reset.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken))) return false;
            throw IdentityFailure(reset, nameof(PasswordInput.Password));
        }
        // The link proves the address: the lockout of a forgotten password ends with it.
        await users.SetLockoutEndDateAsync(member, null);
        await users.ResetAccessFailedCountAsync(member);
        Audit(MemberService.MemberActor, "member.password-reset", member.Id, new { how = "reset-link" });
        await identityStore.SaveChangesAsync(ct);
        await members.TouchAsync(member.Id, ct);
        return true;
    }

    /// <summary>A signed-in member changes their password; their other sessions end. <see cref="ValidationException"/> for a wrong current one.</summary>
    public async Task<Member> ChangePasswordAsync(string memberId, PasswordInput input, CancellationToken ct = default)
    {
        await passwordValidator.ValidateAndThrowAsync(input, ct);
        var member = await FindAsync(memberId) ?? throw new InvalidOperationException("The signed-in member's account is gone.");
        var changed = await users.ChangePasswordAsync(member, input.CurrentPassword ?? "", input.Password!);
        if (!changed.Succeeded)
        {
            if (changed.Errors.Any(e => e.Code == nameof(IdentityErrorDescriber.PasswordMismatch)))
            {
                throw Failure(nameof(PasswordInput.CurrentPassword), "Field.CurrentPassword.Wrong");
            }
            throw IdentityFailure(changed, nameof(PasswordInput.Password));
        }
        Audit(MemberService.MemberActor, "member.password-reset", member.Id, new { how = "changed-signed-in" });
        await identityStore.SaveChangesAsync(ct);
        return member;
    }

    /// <summary>
    /// Mails a link to the new address; the old one stays until it is followed. An address that has an account already gets the mail
    /// its owner would get on sign-up, and nothing changes. Refused while processing is restricted (the account is frozen).
    /// </summary>
    public async Task RequestEmailChangeAsync(string memberId, string newEmail, Uri center, CancellationToken ct = default)
    {
        var member = await FindAsync(memberId) ?? throw new InvalidOperationException("The signed-in member's account is gone.");
        if (member.RestrictedAt is not null) throw new MemberRestrictedException();
        newEmail = newEmail.Trim();
        if (string.Equals(users.NormalizeEmail(newEmail), member.NormalizedEmail, StringComparison.Ordinal))
        {
            throw Failure(nameof(EmailInput.Email), "Field.Email.Same");
        }
        if (await users.FindByEmailAsync(newEmail) is { } owner)
        {
            await mails.SendAlreadyRegisteredAsync(owner, new Uri(center, SignInPath), new Uri(center, ForgotPasswordPath), ct);
            return;
        }
        var token = await users.GenerateChangeEmailTokenAsync(member, newEmail);
        var address = Base64Url.EncodeToString(addresses.Protect(Encoding.UTF8.GetBytes(newEmail)));
        var link = new Uri(center, $"{EmailConfirmPath}?id={Uri.EscapeDataString(member.Id)}&email={address}&token={Encode(token)}");
        await mails.SendEmailChangeAsync(member, newEmail, link, ct);
    }

    /// <summary>Makes the new address of a change link the account's (confirmed, a new security stamp); null for a wrong or expired link.</summary>
    public async Task<Member?> ConfirmEmailChangeAsync(string? memberId, string? protectedEmail, string? token, CancellationToken ct = default)
    {
        if (await FindAsync(memberId) is not { } member || Decode(token) is not { } code || ReadAddress(protectedEmail) is not { } newEmail) return null;
        var oldEmail = member.Email;
        var changed = await users.ChangeEmailAsync(member, newEmail, code);
        if (!changed.Succeeded) return null;
        Audit(MemberService.MemberActor, "member.email-change", member.Id, null);
        await identityStore.SaveChangesAsync(ct);
        await members.TouchAsync(member.Id, ct);
        await mails.SendEmailChangedAsync(member, oldEmail, ct);
        return member;
    }

    private async Task SendConfirmationAsync(Member member, Uri center, CancellationToken ct)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(member);
        await mails.SendConfirmationAsync(member, new Uri(center, $"{ConfirmPath}?id={Uri.EscapeDataString(member.Id)}&token={Encode(token)}"), ct);
    }

    private async Task<Member?> FindAsync(string? memberId) =>
        string.IsNullOrEmpty(memberId) || memberId.Length > 64 ? null : await users.FindByIdAsync(memberId);

    private static string Encode(string token) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(token));

    private static string? Decode(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 2048) return null;
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private string? ReadAddress(string? protectedEmail)
    {
        if (string.IsNullOrEmpty(protectedEmail) || protectedEmail.Length > 2048) return null;
        try
        {
            return Encoding.UTF8.GetString(addresses.Unprotect(Base64Url.DecodeFromChars(protectedEmail)));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The work of checking a wrong password, against a hash made once with the real hasher from a random password.</summary>
    private void VerifyDummyHash(string password)
    {
        var hash = dummyHash ??= hasher.HashPassword(Nobody, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));
        hasher.VerifyHashedPassword(Nobody, hash, password);
    }

    private static ValidationException Failure(string field, string key) => new([new ValidationFailure(field, MemberTexts.Get(key))]);

    /// <summary>Identity's own refusals, as field messages: a username taken meanwhile, or a password with too few different characters.</summary>
    private static ValidationException IdentityFailure(IdentityResult result, string passwordField) => new(result.Errors.Select(e => e.Code switch
    {
        nameof(IdentityErrorDescriber.DuplicateUserName) => new ValidationFailure(nameof(SignUpInput.UserName), MemberTexts.Get("Field.UserName.Taken")),
        nameof(IdentityErrorDescriber.InvalidUserName) => new ValidationFailure(nameof(SignUpInput.UserName), MemberTexts.Get("Field.UserName.Characters")),
        nameof(IdentityErrorDescriber.PasswordRequiresUniqueChars) => new ValidationFailure(passwordField, MemberTexts.Get("Field.Password.UniqueChars")),
        _ => new ValidationFailure(passwordField, MemberTexts.Get("Field.Password.Length", MemberPasswords.MinLength)),
    }));

    /// <summary>Tracked on Identity's context, so the next save of either stores it.</summary>
    private void Audit(string actor, string action, string memberId, object? after) =>
        AuditTrail.Record(identityStore, Now(), actor, action, "Member", memberId, null, after);

    private static string? Optional(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private DateTime Now()
    {
        var now = time.GetUtcNow().UtcDateTime;
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }

    [LoggerMessage(EventId = 3101, EventName = "MemberSignedUp", Level = LogLevel.Information, Message = "Member {MemberId} signed up")]
    private static partial void LogSignedUp(ILogger logger, string memberId);

    [LoggerMessage(EventId = 3102, EventName = "MemberSignUpForExisting", Level = LogLevel.Information,
        Message = "A sign-up gave the address of member {MemberId}; nothing was created and the member was told by mail")]
    private static partial void LogSignUpForExisting(ILogger logger, string memberId);

    [LoggerMessage(EventId = 3103, EventName = "MemberSignedIn", Level = LogLevel.Information, Message = "Member {MemberId} signed in")]
    private static partial void LogSignedIn(ILogger logger, string memberId);

    [LoggerMessage(EventId = 3104, EventName = "MemberSignInFailed", Level = LogLevel.Information, Message = "A sign-in as member {MemberId} failed: wrong password")]
    private static partial void LogWrongPassword(ILogger logger, string memberId);

    [LoggerMessage(EventId = 3105, EventName = "MemberSignInFailedUnknownAccount", Level = LogLevel.Information,
        Message = "A member sign-in failed: no account has the address or username given (what was typed is not logged)")]
    private static partial void LogUnknownAccount(ILogger logger);

    [LoggerMessage(EventId = 3106, EventName = "MemberSignInRefusedLockedOut", Level = LogLevel.Information,
        Message = "A sign-in as member {MemberId} was refused: the account is locked out")]
    private static partial void LogLockedOutAttempt(ILogger logger, string memberId);

    [LoggerMessage(EventId = 3107, EventName = "MemberLockedOut", Level = LogLevel.Warning,
        Message = "Member {MemberId} is locked out until {LockedUntil} after too many failed sign-ins")]
    private static partial void LogLockedOut(ILogger logger, string memberId, DateTimeOffset? lockedUntil);
}
