using System.Globalization;
using Consent.Core.Consents;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Consent.App.Endpoints;

/// <summary>
/// <c>GET /.well-known/gpc.json</c>: the site's statement that it honours Global Privacy Control
/// (https://privacycg.github.io/gpc-spec/#the-gpc-support-resource). Every page does: a request with
/// <c>Sec-GPC: 1</c> and no decision of the visitor is answered with every optional category refused.
/// </summary>
public static class PrivacySignalEndpoints
{
    public const string GpcSupportPath = "/.well-known/gpc.json";

    public static IEndpointRouteBuilder MapPrivacySignals(this IEndpointRouteBuilder app)
    {
        app.MapGet(GpcSupportPath, GpcSupport);
        return app;
    }

    /// <summary>The GPC support resource: <c>{"gpc": true, "lastUpdate": "yyyy-MM-dd"}</c>.</summary>
    public static JsonHttpResult<GpcSupport> GpcSupport() =>
        TypedResults.Json(
            new GpcSupport(true, PrivacySignals.GpcSupportUpdated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            contentType: "application/json");
}

/// <summary>The fields of the GPC support resource, named as the specification names them.</summary>
public sealed record GpcSupport(
    [property: System.Text.Json.Serialization.JsonPropertyName("gpc")] bool Gpc,
    [property: System.Text.Json.Serialization.JsonPropertyName("lastUpdate")] string LastUpdate);
