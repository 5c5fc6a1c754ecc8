using System.Buffers.Text;
using System.Text;
using Microsoft.AspNetCore.DataProtection;

namespace Consent.Core.Members;

/// <summary>A member's subject id and one purpose, as an unsubscribe link proves them.</summary>
public sealed record UnsubscribeToken(string SubjectId, string Purpose);

/// <summary>
/// The tokens of one-click unsubscribe links (RFC 8058): the member's subject id and the purpose of the e-mail, protected by the
/// shared Data Protection keys, so the link works without signing in, on every instance, for as long as the keys are kept, and
/// cannot be made for another member. The token says nothing readable, and never the e-mail address.
/// </summary>
public sealed class UnsubscribeLinks(IDataProtectionProvider dataProtection)
{
    /// <summary>
    /// The link of every e-mail's <c>List-Unsubscribe</c> header and body: a POST (a mail client's one click) unsubscribes, a GET (a person,
    /// or a link scanner) only opens <see cref="PagePath"/>, where a button unsubscribes.
    /// </summary>
    public const string Path = "/members/unsubscribe/one-click";

    /// <summary>The page that says what the link unsubscribes from and has the button.</summary>
    public const string PagePath = "/members/unsubscribe";

    private readonly IDataProtector protector = dataProtection.CreateProtector("Consent.Members.Unsubscribe.v1");

    public string TokenFor(Member member, string purpose) =>
        Base64Url.EncodeToString(protector.Protect(Encoding.UTF8.GetBytes($"{member.SubjectId} {purpose}")));

    /// <summary>The absolute link of an e-mail of <paramref name="purpose"/> to <paramref name="member"/>, under the center's <paramref name="baseUri"/>.</summary>
    public Uri LinkFor(Uri baseUri, Member member, string purpose) => new(baseUri, $"{Path}?token={TokenFor(member, purpose)}");

    /// <summary>What a token proves, or null for anything this center did not make (tampered, truncated, another key ring).</summary>
    public UnsubscribeToken? Read(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1024) return null;
        try
        {
            var text = Encoding.UTF8.GetString(protector.Unprotect(Base64Url.DecodeFromChars(token)));
            var parts = text.Split(' ');
            return parts.Length == 2 && Consents.ConsentCookie.IsVisitorId(parts[0]) && CommunicationPurposes.IsKnown(parts[1])
                ? new UnsubscribeToken(parts[0], parts[1])
                : null;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
