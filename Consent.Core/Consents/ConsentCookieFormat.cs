using System.Buffers;
using System.Globalization;

namespace Consent.Core.Consents;

/// <summary>
/// The consent cookie's text without its key: <c>1.visitor.consent.policy.granted~keys.unixtime</c>, then a dot and the
/// signature. Needs no database, so it can be fuzzed on its own; <see cref="ConsentCookie"/> signs and verifies.
/// A payload has one spelling, the one <see cref="Payload"/> writes; any other reads as no cookie.
/// </summary>
public static class ConsentCookieFormat
{
    public const int MaxLength = 1024;

    /// <summary>HMAC-SHA256's 32 bytes in unpadded base64url.</summary>
    public const int SignatureLength = 43;

    private const string Version = "1";
    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();
    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");
    private static readonly SearchValues<char> Base64Url = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_");

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
        if (cut < 0 || !IsSignatureShaped(value.AsSpan(cut + 1))) return false;
        payload = value[..cut];
        signature = value[(cut + 1)..];
        return true;
    }

    /// <summary>Reads a payload whose signature was checked; null when it is not one this format writes.</summary>
    public static ConsentCookieState? TryParsePayload(string payload)
    {
        var text = payload.AsSpan();
        Span<Range> parts = stackalloc Range[7];
        if (text.Split(parts, '.') != 6) return null;
        if (!text[parts[0]].SequenceEqual(Version) || !IsLowerHex32(text[parts[1]]) || !IsLowerHex32(text[parts[2]])) return null;
        if (!Guid.TryParseExact(text[parts[2]], "N", out var consentId)) return null;
        if (!TryReadNumber(text[parts[3]], int.MaxValue, out var policy) || !TryReadNumber(text[parts[5]], MaxUnixSeconds, out var seconds)) return null;
        var granted = text[parts[4]].IsEmpty ? [] : payload[parts[4]].Split('~');
        return new ConsentCookieState(payload[parts[1]], consentId, (int)policy, granted, DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime);
    }

    private static bool IsSignatureShaped(ReadOnlySpan<char> signature) =>
        signature.Length == SignatureLength && !signature.ContainsAnyExcept(Base64Url);

    private static bool IsLowerHex32(ReadOnlySpan<char> text) => text.Length == 32 && !text.ContainsAnyExcept(LowerHex);

    /// <summary>Digits as <see cref="Payload"/> writes them: no sign, no leading zero, at most <paramref name="max"/>.</summary>
    private static bool TryReadNumber(ReadOnlySpan<char> digits, long max, out long value)
    {
        value = 0;
        // Checked first: long.TryParse skips trailing NUL characters even with NumberStyles.None.
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9') || (digits[0] == '0' && digits.Length > 1)) return false;
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out value) && value <= max;
    }
}
