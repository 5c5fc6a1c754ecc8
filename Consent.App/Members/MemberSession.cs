using System.Security.Claims;
using Consent.App.Endpoints;
using Consent.Core.Consents;
using Consent.Core.Members;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Consent.App.Members;

/// <summary>
/// The signed-in member of this request, read from the member cookie on first use (a request without it reads nothing), and
/// signing in and out. Signing in carries the member's cookie choice to the browser (docs/decisions.md, "Cookie consent follows
/// the member"): the newer of the browser's and the member's latest choice wins, and the browser is linked to the member.
/// </summary>
public sealed class MemberSession(
    IHttpContextAccessor accessor, MemberService members, IUserClaimsPrincipalFactory<Member> principals, ConsentCookie cookie, ConsentService consents,
    TimeProvider time)
{
    private Member? member;
    private bool read;

    private HttpContext Http => accessor.HttpContext ?? throw new InvalidOperationException("A member session belongs to a request.");

    /// <summary>The signed-in member, or null.</summary>
    public async Task<Member?> GetAsync()
    {
        if (read) return member;
        read = true;
        var result = await Http.AuthenticateAsync(MemberAuthentication.Scheme);
        if (result.Principal?.FindFirstValue(ClaimTypes.NameIdentifier) is { } id) member = await members.FindAsync(id);
        return member;
    }

    /// <summary>Signs the member in (a session cookie), counts it as a contact, and carries the cookie choice across (see the class).</summary>
    public async Task SignInAsync(Member signedIn)
    {
        var principal = await principals.CreateAsync(signedIn);
        var identity = new ClaimsIdentity(principal.Claims, MemberAuthentication.Scheme);
        await Http.SignInAsync(MemberAuthentication.Scheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
        member = signedIn;
        read = true;
        await members.TouchAsync(signedIn.Id);
        await FollowCookieChoiceAsync(signedIn);
    }

    public async Task SignOutAsync()
    {
        await Http.SignOutAsync(MemberAuthentication.Scheme);
        member = null;
        read = true;
    }

    /// <summary>After the account is erased: signed out, and this browser's consent cookie cleared (its records were erased with the account).</summary>
    public async Task EndAsync()
    {
        await SignOutAsync();
        Http.Response.Cookies.Delete(ConsentCookie.Name, ConsentFormEndpoints.ConsentCookieOptions(Http.Request, DateTime.UnixEpoch));
    }

    /// <summary>After a cookie choice in this browser: links its visitor id to the signed-in member, if any.</summary>
    public async Task LinkChoiceAsync(string? visitorId)
    {
        if (visitorId is null || await GetAsync() is not { } signedIn) return;
        await members.LinkVisitorAsync(signedIn.Id, visitorId);
    }

    private async Task FollowCookieChoiceAsync(Member signedIn)
    {
        var device = cookie.TryDecode(Http.Request.Cookies[ConsentCookie.Name]);
        var latest = await members.LatestCookieChoiceAsync(signedIn.Id);
        if (device is not null && (latest is null || device.RecordedAt >= latest.RecordedAt))
        {
            // The browser's own choice is the newer expression of the member's will: it becomes theirs.
            await members.LinkVisitorAsync(signedIn.Id, device.VisitorId);
            return;
        }
        if (latest is null || latest.ExpiresAt <= time.GetUtcNow().UtcDateTime) return;
        Http.Response.Cookies.Append(ConsentCookie.Name, consents.CookieOf(latest), ConsentFormEndpoints.ConsentCookieOptions(Http.Request, latest.ExpiresAt));
    }
}
