namespace Consent.Core.Members;

/// <summary>
/// A member of the community (the seed's sign-up): an account apart from the privacy team's, in its own table, signed in
/// with its own cookie, so a member never reaches the team's center. The Identity fields are read and written by
/// <see cref="MemberStore"/>; the profile fields are the seed's optional professional ones.
/// </summary>
public sealed class Member
{
    public string Id { get; set; } = Guid.NewGuid().ToString();
    public required string UserName { get; set; }
    public string? NormalizedUserName { get; set; }
    public required string Email { get; set; }
    public string? NormalizedEmail { get; set; }
    public bool EmailConfirmed { get; set; }
    public string? PasswordHash { get; set; }
    public string SecurityStamp { get; set; } = Guid.NewGuid().ToString("N");
    public string ConcurrencyStamp { get; set; } = Guid.NewGuid().ToString();
    public DateTime? LockoutEndUtc { get; set; }
    public bool LockoutEnabled { get; set; } = true;
    public int AccessFailedCount { get; set; }

    public string? Company { get; set; }
    public string? JobTitle { get; set; }
    public string? Country { get; set; }
    public string? City { get; set; }
    public string? LinkedInUrl { get; set; }

    /// <summary>The language the member reads the center in, and gets their e-mails in ("en", "fr").</summary>
    public required string Language { get; set; }

    /// <summary>
    /// Random 128-bit id (32 hex digits) that the member's communication consent records carry as their visitor id: the log
    /// never holds the account id or the e-mail address, and erasure unlinks the records as a visitor's erasure does.
    /// </summary>
    public required string SubjectId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The member's last contact (sign-in or an e-mail interaction): retention counts from it.</summary>
    public DateTime LastContactAt { get; set; }

    /// <summary>When the warning before an inactive account's erasure was sent; cleared by the next contact.</summary>
    public DateTime? InactivityWarnedAt { get; set; }

    /// <summary>Set while processing is restricted (GDPR art. 18): the account is kept but frozen, and nothing is sent.</summary>
    public DateTime? RestrictedAt { get; set; }

    /// <summary>Set while the member objects to prospecting (GDPR art. 21): no commercial offer, whatever was ticked.</summary>
    public DateTime? ObjectedAt { get; set; }

    /// <summary>The member's directive for after their death (Loi Informatique et Libertés art. 85), if any.</summary>
    public DeathDirective? Directive { get; set; }

    /// <summary>The trusted person a <see cref="DeathDirective.PassToTrustedPerson"/> directive names, and how to reach them.</summary>
    public string? TrustedPersonName { get; set; }

    public string? TrustedPersonContact { get; set; }
    public DateTime? DirectiveRecordedAt { get; set; }

    /// <summary>When the privacy team marked the directive as carried out, and who.</summary>
    public DateTime? DirectiveCarriedOutAt { get; set; }

    public string? DirectiveCarriedOutBy { get; set; }
}
