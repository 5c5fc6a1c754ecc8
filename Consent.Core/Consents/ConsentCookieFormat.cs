using System.Globalization;

namespace Consent.Core.Consents;

/// <summary>
/// The consent cookie's text without its key: <c>1.visitor.consent.policy.granted~keys.unixtime</c>, then a dot and the
/// signature. Needs no database, so it can be fuzzed on its own; <see cref="ConsentCookie"/> signs and verifies.
/// </summary>
public static class ConsentCookieFormat
{
    public const int MaxLength = 1024;
    private const string Version = "1";

    public static string Payload(ConsentCookieState state) => string.Join('.',
        Version,
        state.VisitorId,
        state.ConsentId.ToString("N"),
        state.PolicyVersion.ToString(CultureInfo.InvariantCulture),
        string.Join('~', state.Granted),
        new DateTimeOffset(state.RecordedAt, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));

    /// <summary>Cuts a cookie value into its payload and its signature; false when it cannot be a cookie of ours.</summary>
    public static bool TrySplit(string? value, out string payload, out string signature)
    {
        payload = signature = "";
        if (string.IsNullOrEmpty(value) || value.Length > MaxLength) return false;
        var cut = value.LastIndexOf('.');
        if (cut < 0) return false;
        payload = value[..cut];
        signature = value[(cut + 1)..];
        return true;
    }

    /// <summary>Reads a payload whose signature was checked; null when it is not one this format writes.</summary>
    public static ConsentCookieState? TryParsePayload(string payload)
    {
        var parts = payload.Split('.');
        if (parts.Length != 6 || parts[0] != Version || !ConsentCookie.IsVisitorId(parts[1])) return null;
        if (!Guid.TryParseExact(parts[2], "N", out var consentId)) return null;
        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var policy)) return null;
        if (!long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var granted = parts[4].Length == 0 ? [] : parts[4].Split('~');
        return new ConsentCookieState(parts[1], consentId, policy, granted, DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime);
    }
}
