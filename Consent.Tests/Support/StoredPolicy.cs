using Consent.Core.Policies;

namespace Consent.Tests.Support;

/// <summary>Policy versions a test stores behind the services' back, when only their number and summary matter.</summary>
public static class StoredPolicy
{
    /// <summary>A version whose snapshot keeps no category.</summary>
    public static PolicyVersion Version(int number, DateTime publishedAt, string summary)
    {
        var snapshot = new PolicySnapshot(PolicySnapshot.CurrentFormat, []).ToJson();
        return new()
        {
            Number = number,
            PublishedAt = publishedAt,
            Summary = summary,
            Snapshot = snapshot,
            ContentHash = PolicyVersion.HashOf(snapshot),
        };
    }
}
