namespace Consent.Core.Mail;

/// <summary>Why a mail is sent: a marketing mail is one the member chose to get, and must let them stop it in one click.</summary>
public enum MailCategory
{
    /// <summary>Part of something the person asked for: a confirmation link, a password reset, an erasure notice.</summary>
    Transactional,

    /// <summary>A newsletter, an invitation, product news or an offer.</summary>
    Marketing,
}
