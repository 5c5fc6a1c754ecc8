using System.Globalization;
using System.Text.Json;

namespace Consent.Core.Consents;

/// <summary>
/// Reads a choice from the API's JSON or the form's fields under one vocabulary (<see cref="ConsentVocabulary"/>) and one
/// set of limits, checked before anything is kept: the body's size, each list's length, each text's length. The rules about
/// what a choice may say (categories, versions, sites) are <see cref="ConsentSubmissionValidator"/>'s, after reading.
/// Work is linear in the input, and nothing the caller sends can make the reader throw.
/// </summary>
public static class ConsentSubmissionReader
{
    /// <summary>A choice is a few hundred bytes; a body of more is refused unread (413).</summary>
    public const int MaxBodyBytes = 4 * 1024;

    /// <summary>More category keys than any catalogue has; the validator then holds a list to the catalogue's own size.</summary>
    public const int MaxListLength = 32;

    /// <summary>Longest category key or site id read.</summary>
    public const int MaxKeyLength = 64;

    /// <summary>Longest language tag read (BCP 47 tags in practice stay under 35 characters).</summary>
    public const int MaxLanguageLength = 35;

    public const string Fields = "method, source, policyVersion, granted, denied, site and language";

    /// <summary>Fields of the form that steer the answer (where to go back, which layer to open) rather than the choice.</summary>
    public static readonly IReadOnlySet<string> FormNavigationFields = new HashSet<string>(StringComparer.Ordinal) { "returnUrl", "layer" };

    private const string FormFields = "method, source, policyVersion, granted and denied";

    public static SubmissionReading FromJson(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.Length > MaxBodyBytes) return SubmissionReading.Refused("$", TooLarge);
        var errors = new Errors();
        var submission = new ConsentSubmission();
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 4 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return SubmissionReading.Refused("$", $"Send one JSON object with the fields {Fields}.");
            }
            var seen = new HashSet<string>(StringComparer.Ordinal);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                reader.Read();
                if (!IsJsonField(name))
                {
                    errors.Add(Shown(name), $"There is no field \"{Shown(name)}\"; the fields are {Fields} (names are case-sensitive).");
                    reader.Skip();
                    continue;
                }
                if (!seen.Add(name))
                {
                    errors.Add(name, $"{name} is given more than once; give each field once.");
                    reader.Skip();
                    continue;
                }
                ReadJsonField(ref reader, name, submission, errors);
            }
            // The object's end, and nothing after it: the reader itself refuses a second value or a truncated body.
            if (reader.Read()) return SubmissionReading.Refused("$", "Send one JSON object and nothing after it.");
        }
        catch (JsonException ex)
        {
            // Where, not the reader's own message: that quotes the offending token, which can be most of the body.
            return SubmissionReading.Refused("$", ex.BytePositionInLine is { } at
                ? $"The body is not valid JSON (line {ex.LineNumber + 1}, byte {at + 1})."
                : "The body is not valid JSON.");
        }
        catch (InvalidOperationException)
        {
            // Text that is not UTF-8 cannot be read as a string.
            return SubmissionReading.Refused("$", "The body is not valid UTF-8 JSON.");
        }
        return errors.Any ? new SubmissionReading(null, errors.ToDictionary()) : SubmissionReading.Read(submission);
    }

    /// <summary>
    /// The fields of a form post (application/x-www-form-urlencoded), in the order sent. The form's own navigation fields
    /// (<see cref="FormNavigationFields"/>) are left to the endpoint; any other unknown field is refused.
    /// </summary>
    public static SubmissionReading FromForm(IEnumerable<KeyValuePair<string, string>> fields)
    {
        var errors = new Errors();
        var submission = new ConsentSubmission();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var count = 0;
        foreach (var (name, value) in fields)
        {
            if (++count > 2 * MaxListLength + 8)
            {
                return SubmissionReading.Refused("$", "The form has too many fields for a cookie choice.");
            }
            if (FormNavigationFields.Contains(name)) continue;
            var repeatable = name is "granted" or "denied";
            if (!repeatable && !seen.Add(name))
            {
                if (name is "method" or "source" or "policyVersion") errors.Add(name, $"{name} is given more than once; give each field once.");
                else errors.Add(Shown(name), $"There is no field \"{Shown(name)}\"; the fields are {FormFields}.");
                continue;
            }
            switch (name)
            {
                case "method":
                    submission.Method = ConsentVocabulary.Method(value);
                    if (submission.Method is null) errors.Add(name, MethodMessage);
                    break;
                case "source":
                    submission.Source = ConsentVocabulary.Source(value);
                    if (submission.Source is null) errors.Add(name, SourceMessage);
                    break;
                case "policyVersion":
                    // Digits only: "+1", " 1" or "1e0" are not a version number a page of the center writes.
                    // int.TryParse alone would also let a trailing NUL through.
                    if (value.Length is > 0 and <= 9 && value.All(char.IsAsciiDigit)
                        && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
                    {
                        submission.PolicyVersion = version;
                    }
                    else
                    {
                        errors.Add(name, PolicyVersionMessage);
                    }
                    break;
                case "granted" or "denied":
                    var list = name == "granted" ? submission.Granted : submission.Denied;
                    if (list.Count >= MaxListLength) errors.Add(name, TooLong(name));
                    else if (value.Length is 0 or > MaxKeyLength) errors.Add(name, KeyMessage(name));
                    else list.Add(value);
                    break;
                default:
                    errors.Add(Shown(name), $"There is no field \"{Shown(name)}\"; the fields are {FormFields}.");
                    break;
            }
        }
        return errors.Any ? new SubmissionReading(null, errors.ToDictionary()) : SubmissionReading.Read(submission);
    }

    public static readonly string TooLarge = $"A cookie choice is at most {MaxBodyBytes} bytes; this request is larger.";

    private const string MethodMessage = $"method must be one of: {ConsentVocabulary.Methods}.";
    private const string SourceMessage = $"source must be {ConsentVocabulary.Sources}.";
    private const string PolicyVersionMessage = "policyVersion must be a whole number: the policy version the visitor was shown.";

    private static string TooLong(string field) => $"{field} lists more than {MaxListLength} categories; the catalogue has far fewer.";

    private static string KeyMessage(string field) => $"{field} must list category keys of 1 to {MaxKeyLength} characters, such as \"analytics\".";

    private static bool IsJsonField(string name) =>
        name is "method" or "source" or "policyVersion" or "granted" or "denied" or "site" or "language";

    /// <summary>An unknown name as an answer repeats it: cut short, so a long name does not make a long answer.</summary>
    private static string Shown(string name) => name.Length <= 40 ? name : name[..40] + "…";

    private static void ReadJsonField(ref Utf8JsonReader reader, string name, ConsentSubmission submission, Errors errors)
    {
        switch (name)
        {
            case "method":
                if (reader.TokenType == JsonTokenType.Null) break;
                submission.Method = reader.TokenType == JsonTokenType.String ? ConsentVocabulary.Method(reader.GetString()) : null;
                if (submission.Method is null) errors.Add(name, MethodMessage);
                break;
            case "source":
                if (reader.TokenType == JsonTokenType.Null) break;
                submission.Source = reader.TokenType == JsonTokenType.String ? ConsentVocabulary.Source(reader.GetString()) : null;
                if (submission.Source is null) errors.Add(name, SourceMessage);
                break;
            case "policyVersion":
                if (reader.TokenType == JsonTokenType.Null) break;
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var version)) submission.PolicyVersion = version;
                else errors.Add(name, PolicyVersionMessage);
                break;
            case "granted" or "denied":
                ReadKeys(ref reader, name, name == "granted" ? submission.Granted : submission.Denied, errors);
                break;
            case "site":
                submission.Site = ReadText(ref reader, name, MaxKeyLength, errors);
                break;
            case "language":
                submission.Language = ReadText(ref reader, name, MaxLanguageLength, errors);
                // A language tag (fr, en-GB): a language the center lacks falls back to the one it shows; anything else is not a tag.
                if (submission.Language is { } tag && !tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
                {
                    errors.Add(name, "language must be a language tag, such as fr or en-GB.");
                    submission.Language = null;
                }
                break;
        }
        // A value of the wrong type may be an object or a list: its end is skipped, at most MaxDepth deep.
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
    }

    private static void ReadKeys(ref Utf8JsonReader reader, string field, List<string> keys, Errors errors)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            errors.Add(field, $"{field} must be a list of category keys, such as [\"analytics\"].");
            return;
        }
        var wrong = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                if (!wrong) errors.Add(field, reader.TokenType == JsonTokenType.Null
                    ? $"{field} lists category keys; null is not one."
                    : $"{field} must be a list of category keys, such as [\"analytics\"].");
                wrong = true;
                reader.Skip();
                continue;
            }
            if (keys.Count >= MaxListLength)
            {
                if (!wrong) errors.Add(field, TooLong(field));
                wrong = true;
                continue;
            }
            var key = reader.GetString()!;
            if (key.Length is 0 or > MaxKeyLength)
            {
                if (!wrong) errors.Add(field, KeyMessage(field));
                wrong = true;
                continue;
            }
            keys.Add(key);
        }
    }

    private static string? ReadText(ref Utf8JsonReader reader, string field, int maxLength, Errors errors)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.String)
        {
            errors.Add(field, $"{field} must be text.");
            return null;
        }
        var text = reader.GetString()!;
        if (text.Length <= maxLength) return text;
        errors.Add(field, $"{field} is at most {maxLength} characters.");
        return null;
    }

    /// <summary>Field messages, in the order found; one field may have several.</summary>
    private sealed class Errors
    {
        private readonly Dictionary<string, List<string>> byField = new(StringComparer.Ordinal);

        public bool Any => byField.Count > 0;

        public void Add(string field, string message)
        {
            // Enough to correct a request; a body of a thousand unknown fields gets a short answer.
            if (!byField.TryGetValue(field, out var messages))
            {
                if (byField.Count >= 16) return;
                byField[field] = messages = [];
            }
            if (messages.Count < 4 && !messages.Contains(message)) messages.Add(message);
        }

        public Dictionary<string, string[]> ToDictionary() => byField.ToDictionary(f => f.Key, f => f.Value.ToArray(), StringComparer.Ordinal);
    }
}
