namespace Consent.Core.Policies;

/// <summary>
/// A published version of the cookie policy. A decision answers exactly one version, and a
/// consent record keeps its number: the version's snapshot is what that visitor was shown.
/// </summary>
public sealed class PolicyVersion
{
    public const int MaxSummary = 500;

    public int Number { get; set; }
    public DateTime PublishedAt { get; set; }

    /// <summary>Who published it: the Admin's email, or "system" for the version the center starts with.</summary>
    public string PublishedBy { get; set; } = "system";

    /// <summary>What changed, written for visitors: the banner shows it to everyone who answered an older version.</summary>
    public required string Summary { get; set; }

    /// <summary>Keys of the categories this version changed (the first version: none).</summary>
    public List<string> ChangedCategories { get; set; } = [];

    /// <summary>
    /// The catalogue visitors answered, as JSON (<see cref="PolicySnapshot"/>): taken when the version is
    /// published, never changed afterwards, so a record can always show what its visitor was shown.
    /// </summary>
    public required string Snapshot { get; set; }

    /// <summary>SHA-256 of <see cref="Snapshot"/>'s UTF-8 bytes: named in every record's leaf, so a record says which text it answered.</summary>
    public byte[]? ContentHash { get; set; }

    public static byte[] HashOf(string snapshot) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(snapshot));
}
