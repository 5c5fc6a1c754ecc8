using Consent.Core.Consents;

namespace Consent.Tests.Support;

/// <summary>For tests that arrange records: the receipt of a choice that must be recorded, or the test fails saying why not.</summary>
public static class RecordedChoices
{
    public static async Task<ConsentReceipt> RecordReceiptAsync(this ConsentService consents, ConsentSubmission submission, VisitorContext visitor)
    {
        var outcome = await consents.RecordAsync(submission, visitor);
        return outcome.Receipt ?? throw new InvalidOperationException(
            $"The choice was not recorded ({outcome.Kind}): {string.Join(" ", outcome.Errors.SelectMany(e => e.Value.Select(m => $"{e.Key}: {m}")))}");
    }
}
