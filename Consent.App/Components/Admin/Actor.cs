using Microsoft.AspNetCore.Components.Authorization;

namespace Consent.App.Components.Admin;

/// <summary>Who is acting on a privacy-team page: the name every change is audited under.</summary>
public static class Actor
{
    /// <summary>
    /// The signed-in member's name (their email), from the page's cascading authentication state. Every /admin page
    /// requires a signed-in member, so its absence is a wiring error, not a visitor's mistake.
    /// </summary>
    public static async Task<string> ActorAsync(this Task<AuthenticationState>? auth) =>
        (auth is null ? null : (await auth).User.Identity?.Name)
            ?? throw new InvalidOperationException("Changes in the privacy-team center need a signed-in member of the privacy team.");
}
