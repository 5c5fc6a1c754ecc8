namespace Consent.Core.Consents;

/// <summary>A posted choice as read: the submission, or the field messages that say why it could not be read (never both).</summary>
public sealed record SubmissionReading(ConsentSubmission? Submission, IReadOnlyDictionary<string, string[]> Errors)
{
    public static SubmissionReading Read(ConsentSubmission submission) => new(submission, new Dictionary<string, string[]>());

    public static SubmissionReading Refused(string field, string message) => new(null, new Dictionary<string, string[]> { [field] = [message] });
}
