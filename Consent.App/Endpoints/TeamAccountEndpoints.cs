using Consent.Core.PrivacyTeam;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace Consent.App.Endpoints;

/// <summary>Signing out of the privacy-team center (signing in is the form of <c>/account/login</c>).</summary>
public static partial class TeamAccountEndpoints
{
    public static IEndpointRouteBuilder MapTeamAccount(this IEndpointRouteBuilder app)
    {
        // A native form post from the interactive admin layout, which holds no antiforgery token:
        // cross-site posts are refused by the browser's own headers, as for /consent.
        app.MapPost("/account/logout", async (HttpContext http, UserManager<IdentityUser> users, TeamAccounts accounts, ILoggerFactory loggers) =>
        {
            if (!PostOrigin.Of(http.Request).IsOwn)
            {
                return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Sign-out refused",
                    detail: "Signing out is possible only from this site's own pages.");
            }
            if (users.GetUserId(http.User) is { } userId)
            {
                await accounts.EndSessionsAsync(userId);
                LogSignedOut(loggers.CreateLogger(typeof(TeamAccountEndpoints).FullName!), userId);
            }
            // Only the team session cookie: the sign-in manager would also expire cookies this center never sets.
            await http.SignOutAsync(IdentityConstants.ApplicationScheme);
            return new SeeOther("/account/login?signedOut=true");
        }).DisableAntiforgery();
        return app;
    }

    [LoggerMessage(EventId = 3006, EventName = "SignedOut", Level = LogLevel.Information, Message = "Team member {AccountId} signed out")]
    private static partial void LogSignedOut(ILogger logger, string accountId);
}
