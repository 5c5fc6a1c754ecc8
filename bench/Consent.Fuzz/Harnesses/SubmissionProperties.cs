using Consent.Core.Consents;

namespace Consent.Fuzz;

/// <summary>What every reading of a posted choice keeps to, however the choice was sent.</summary>
public static class SubmissionProperties
{
    /// <summary>Far above any message the reader writes, far below what an input of a few KB could fill.</summary>
    public const int MaxMessageLength = 400;

    /// <summary>The reader answers at most 16 fields with at most 4 messages each.</summary>
    public const int MaxMessages = 16 * 4;

    public static void Check(SubmissionReading reading, int inputLength)
    {
        PropertyViolation.Unless((reading.Submission is null) != (reading.Errors.Count == 0),
            reading.Submission is null ? "neither a submission nor errors" : "both a submission and errors");

        if (reading.Submission is { } submission)
        {
            var texts = submission.Granted.Concat(submission.Denied).Append(submission.Site ?? "").Append(submission.Language ?? "");
            PropertyViolation.Unless(texts.All(t => t.Length <= inputLength), $"a text read is longer than the {inputLength} input bytes");
            PropertyViolation.Unless(submission.Granted.Count + submission.Denied.Count <= ConsentSubmissionReader.MaxListLength * 2,
                $"{submission.Granted.Count} granted and {submission.Denied.Count} denied read");
            PropertyViolation.Unless(submission.Method is null || Enum.IsDefined(submission.Method.Value), $"method {submission.Method}");
            PropertyViolation.Unless(submission.Source is null || Enum.IsDefined(submission.Source.Value), $"source {submission.Source}");
        }
        foreach (var (field, messages) in reading.Errors)
        {
            PropertyViolation.Unless(field == "$" || field.Length <= inputLength, $"the field name \"{field}\" is longer than the input");
            PropertyViolation.Unless(messages.Length > 0, $"{field} has no message");
            foreach (var message in messages)
            {
                PropertyViolation.Unless(message.Length is > 0 and <= MaxMessageLength,
                    $"{field} has a message of {message.Length} characters: \"{message[..Math.Min(message.Length, 80)]}\"");
            }
        }
        PropertyViolation.Unless(reading.Errors.Values.Sum(m => m.Length) <= MaxMessages, $"{reading.Errors.Values.Sum(m => m.Length)} messages");
    }
}
