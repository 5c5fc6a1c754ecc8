using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Consent.Tests.Support;

/// <summary>One request as the center received it: what was asked, and whether it carried a cookie or the Consent-Cookie header.</summary>
public sealed record CenterRequest(string Method, string PathAndQuery, bool HasCookie, bool HasConsentCookieHeader);

/// <summary>
/// Every request that reaches the center served to the browser, in order, noted before the app's own pipeline: what a
/// browser test counts to prove that the browser answered something from its cache.
/// </summary>
public sealed class CenterRequests : IStartupFilter
{
    private readonly ConcurrentQueue<CenterRequest> seen = new();

    /// <summary>How many requests so far: a mark for <see cref="Since"/>.</summary>
    public int Count => seen.Count;

    public IReadOnlyList<CenterRequest> Since(int mark) => [.. seen.Skip(mark)];

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, rest) =>
        {
            var request = http.Request;
            seen.Enqueue(new CenterRequest(request.Method, request.Path + request.QueryString, request.Headers.Cookie.Count > 0,
                request.Headers.ContainsKey("Consent-Cookie")));
            return rest(http);
        });
        next(app);
    };
}
