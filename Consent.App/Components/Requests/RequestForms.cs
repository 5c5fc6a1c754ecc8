using System.Globalization;
using Consent.App.RateLimits;
using Consent.Core.Requests;
using Microsoft.AspNetCore.Components.Forms;

namespace Consent.App.Components.Requests;

/// <summary>What the request pages share: admitting a post under the rate limits, and saying why one was refused.</summary>
public static class RequestForms
{
    /// <summary>The longest field a request page reads from a post: the longest details (4,000 characters, up to 4 bytes each once encoded).</summary>
    public const int MaxFieldBytes = 4 * RequestLimits.Details;

    /// <summary>Fields a request page reads from a post: its own few, the handler's name and the antiforgery token.</summary>
    public const int MaxFields = 16;

    /// <summary>
    /// Admits a post: one attempt of the client, the fields' checks (400 and their messages otherwise), then one mail to
    /// <paramref name="address"/> when the post files a request. False with <paramref name="refusal"/> set when a limit refused it.
    /// </summary>
    public static bool Admit(HttpContext http, RequestFormLimits limits, EditContext form, string? address, out string? refusal)
    {
        refusal = null;
        if (limits.TryAcquireClient(ClientPartition.Of(http)) is { } byClient)
        {
            refusal = Refuse(http, byClient);
            return false;
        }
        if (!form.Validate())
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return false;
        }
        if (address is not null && limits.TryAcquireAccount(address.Trim().ToUpperInvariant()) is { } byAddress)
        {
            refusal = Refuse(http, byAddress);
            return false;
        }
        return true;
    }

    /// <summary>One attempt of the client for a post without fields to check (a new code); null when admitted.</summary>
    public static string? AdmitClient(HttpContext http, RequestFormLimits limits) =>
        limits.TryAcquireClient(ClientPartition.Of(http)) is { } byClient ? Refuse(http, byClient) : null;

    /// <summary>Answers 429 with Retry-After, as the other limits do, and returns the sentence the page shows.</summary>
    private static string Refuse(HttpContext http, SignInRefusal refusal)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = refusal.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var wait = refusal.RetryAfterSeconds < 90
            ? RequestTexts.Get("Form.Wait.Seconds", refusal.RetryAfterSeconds)
            : RequestTexts.Get("Form.Wait.Minutes", (refusal.RetryAfterSeconds + 59) / 60);
        return RequestTexts.Get(refusal.Limit == RequestFormLimits.PerAddress ? "Form.Limited.Address" : "Form.Limited.Client", wait);
    }
}
