using System.Security.Claims;
using Consent.Core.Catalogue;
using Consent.Core.Members;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Consent.App.Members;

/// <summary>
/// The community's members sign in with their own cookie scheme, apart from the privacy team's: a member's cookie is never read
/// by the team's center (its default scheme is the team's), and the team's accounts are not members. Identity checks the password,
/// locks out and makes the e-mail links, with the team's password and lockout rules.
/// </summary>
public static class MemberAuthentication
{
    public const string Scheme = "Members";
    public const string SignInPath = "/members/signin";

    /// <summary>A removed account, a changed password or an erased account ends the member's other sessions within this time.</summary>
    public static readonly TimeSpan ValidationInterval = TimeSpan.FromMinutes(1);

    public static IServiceCollection AddMemberAccounts(this IServiceCollection services)
    {
        services.AddIdentityCore<Member>()
            .AddUserStore<MemberStore>()
            .AddUserManager<MemberManager>();
        services.AddTransient<DataProtectorTokenProvider<Member>>();
        // E-mail links (confirmation, password reset, e-mail change) hold for a day.
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = TimeSpan.FromHours(24));
        services.AddAuthentication().AddCookie(Scheme, o =>
        {
            // Declared in the catalogue (CenterCookies); a session cookie. Lax, so a link from an e-mail opens the member's page signed in.
            o.Cookie.Name = CenterCookies.MemberSession;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = SignInPath;
            o.Events.OnValidatePrincipal = ValidateAsync;
        });
        services.AddScoped<MemberSession>();
        // Sign-up, confirmation, sign-in, passwords, e-mail change: scoped, as Identity's user manager is.
        services.AddScoped<MemberAccounts>();
        return services;
    }

    /// <summary>Once a minute, the session's account must still exist with the same security stamp.</summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var time = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        var issued = context.Properties.IssuedUtc;
        if (issued is { } at && time.GetUtcNow() - at < ValidationInterval) return;
        var users = context.HttpContext.RequestServices.GetRequiredService<UserManager<Member>>();
        var id = context.Principal?.FindFirstValue(ClaimTypes.NameIdentifier);
        var member = id is null ? null : await users.FindByIdAsync(id);
        var stamp = context.Principal?.FindFirstValue(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType);
        if (member is null || stamp != member.SecurityStamp)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
            return;
        }
        context.Properties.IssuedUtc = time.GetUtcNow();
        context.ShouldRenew = true;
    }
}
