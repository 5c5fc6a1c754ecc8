using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace Consent.App.Api;

/// <summary>One language's <c>GET /api/v1/config</c> answer as the bytes every visitor gets, with their strong ETag (a hash of them).</summary>
public sealed record ConfigBody(byte[] Json, string ETag)
{
    public static ConfigBody Of(ConsentConfigResponse config, JsonSerializerOptions options)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(config, options);
        return new ConfigBody(json, $"\"{WebEncoders.Base64UrlEncode(SHA256.HashData(json), 0, 16)}\"");
    }

    /// <summary>Whether an <c>If-None-Match</c> header names this body: <c>*</c>, or its tag by the weak comparison RFC 9110 asks for.</summary>
    public bool IsNamedBy(StringValues ifNoneMatch)
    {
        if (ifNoneMatch.Count == 0 || !EntityTagHeaderValue.TryParseList(ifNoneMatch, out var tags)) return false;
        var mine = new EntityTagHeaderValue(ETag);
        return tags.Any(t => t.Equals(EntityTagHeaderValue.Any) || t.Compare(mine, useStrongComparison: false));
    }
}
