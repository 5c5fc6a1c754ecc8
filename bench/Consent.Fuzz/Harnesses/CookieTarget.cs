using System.Text;
using Consent.Core.Consents;

namespace Consent.Fuzz;

/// <summary>
/// The consent cookie without its key: any text is cut into payload and signature, and read as a payload both whole and
/// after the cut (the part that runs once the signature is verified).
/// </summary>
public static class CookieTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        var value = Encoding.UTF8.GetString(input);

        if (ConsentCookieFormat.TrySplit(value, out var payload, out var signature))
        {
            PropertyViolation.Unless(value.Length <= ConsentCookieFormat.MaxLength, $"a value of {value.Length} characters was cut");
            PropertyViolation.Unless(payload + "." + signature == value, "payload and signature do not make up the value");
            PropertyViolation.Unless(signature.Length == ConsentCookieFormat.SignatureLength && signature.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'),
                $"\"{signature}\" is not shaped like a signature");
            Parse(payload);
        }
        Parse(value);
    }

    private static void Parse(string payload)
    {
        if (ConsentCookieFormat.TryParsePayload(payload) is not { } state) return;

        PropertyViolation.Unless(ConsentCookie.IsVisitorId(state.VisitorId), $"visitor id \"{state.VisitorId}\" is not 32 lower-case hex digits");
        PropertyViolation.Unless(state.Granted.All(g => g.Length <= payload.Length), "a granted key is longer than the payload");
        var again = ConsentCookieFormat.Payload(state);
        PropertyViolation.Unless(again == payload, $"\"{payload}\" re-encodes as \"{again}\"");
    }
}
