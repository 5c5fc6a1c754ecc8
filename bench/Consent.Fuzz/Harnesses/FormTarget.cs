using System.Text;
using Consent.Core.Consents;
using Microsoft.AspNetCore.WebUtilities;

namespace Consent.Fuzz;

/// <summary>
/// The banner's and the preference center's post, <c>POST /consent</c>: the body cut into fields by ASP.NET Core's
/// <see cref="FormReader"/> (application/x-www-form-urlencoded, UTF-8, its default limits), then
/// <see cref="ConsentSubmissionReader.FromForm"/>.
/// </summary>
public static class FormTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        var fields = new List<KeyValuePair<string, string>>();
        using (var reader = new FormReader(new MemoryStream(input.ToArray()), Encoding.UTF8))
        {
            try
            {
                while (reader.ReadNextPair() is { } pair) fields.Add(pair);
            }
            catch (InvalidDataException)
            {
                // Past FormReader's limits: ASP.NET Core refuses the body before any reader of ours sees it.
                return;
            }
        }

        SubmissionProperties.Check(ConsentSubmissionReader.FromForm(fields), input.Length);
    }
}
