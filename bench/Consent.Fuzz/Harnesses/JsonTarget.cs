using Consent.Core.Consents;

namespace Consent.Fuzz;

/// <summary>The API's body, <c>POST /api/v1/consents</c>, as bytes: <see cref="ConsentSubmissionReader.FromJson"/>.</summary>
public static class JsonTarget
{
    public static void Run(ReadOnlySpan<byte> input) =>
        SubmissionProperties.Check(ConsentSubmissionReader.FromJson(input), input.Length);
}
