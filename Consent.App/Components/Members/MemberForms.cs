using System.Globalization;
using Consent.App.RateLimits;
using Consent.Core.Members;
using Microsoft.AspNetCore.Components.Forms;

namespace Consent.App.Components.Members;

/// <summary>What the members' static forms share: the center's address for mailed links, refusals by a limit, safe return addresses.</summary>
public static class MemberForms
{
    /// <summary>
    /// The center's address as the browser reached it (scheme and host after the trusted proxy's forwarded headers, host checked
    /// against AllowedHosts), for the absolute links of the account mails.
    /// </summary>
    public static Uri CenterOf(HttpContext http) => new($"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}/");

    public static string ClientOf(HttpContext http) => ClientPartition.Of(http);

    /// <summary>Answers 429 with Retry-After, as the other limits do, and returns the sentence the form shows.</summary>
    public static string Refuse(HttpContext http, SignInRefusal refusal)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var key = refusal.Limit switch
        {
            SignInLimits.PerAccount => "Limited.Account",
            MemberFormLimits.PerAddress => "Limited.Address",
            _ => "Limited.Client",
        };
        return MemberTexts.Get(key, Wait(refusal.RetryAfterSeconds));
    }

    /// <summary>
    /// Admits a post of a members' form: one attempt of the client, the fields' checks (400 and their messages otherwise), then one mail
    /// to <paramref name="address"/> when the form sends one. False with <paramref name="refusal"/> set when a limit refused it.
    /// </summary>
    public static bool Admit(HttpContext http, MemberFormLimits limits, EditContext form, string? address, out string? refusal)
    {
        refusal = null;
        if (limits.TryAcquireClient(ClientOf(http)) is { } byClient)
        {
            refusal = Refuse(http, byClient);
            return false;
        }
        if (!form.Validate())
        {
            Invalid(http);
            return false;
        }
        if (address is not null && limits.TryAcquireAccount(address.Trim().ToUpperInvariant()) is { } byAddress)
        {
            refusal = Refuse(http, byAddress);
            return false;
        }
        return true;
    }

    /// <summary>A form that fails its field checks is a bad request: the page comes back with the field messages, and nothing is done.</summary>
    public static void Invalid(HttpContext http) => http.Response.StatusCode = StatusCodes.Status400BadRequest;

    /// <summary>Only a path of the members' pages; anything else goes to the member's privacy page.</summary>
    public static string SafeReturnUrl(string? url) =>
        url is { Length: > 1 } && (url == "/members" || url.StartsWith("/members/", StringComparison.Ordinal) || url.StartsWith("/members?", StringComparison.Ordinal))
            && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\')
            ? url
            : PrivacyPath;

    public const string PrivacyPath = "/members/privacy";

    /// <summary>The sign-in page that comes back to <paramref name="returnUrl"/>.</summary>
    public static string SignInFor(string returnUrl) => $"{MemberAccounts.SignInPath}?returnUrl={Uri.EscapeDataString(returnUrl)}";

    private static string Wait(int seconds) =>
        seconds < 90 ? MemberTexts.Get("Wait.Seconds", seconds) : MemberTexts.Get("Wait.Minutes", (seconds + 59) / 60);
}
