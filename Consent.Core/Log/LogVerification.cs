namespace Consent.Core.Log;

/// <summary>What <see cref="LogVerifier"/> found: the records and checkpoints it checked, and the first difference, if any.</summary>
public sealed record LogVerification(long Records, int Checkpoints, string? Difference)
{
    public bool Verified => Difference is null;

    /// <summary>One line for a person: the counts, or the difference.</summary>
    public string Summary => Verified
        ? $"The log verifies: {Records} record{(Records == 1 ? "" : "s")}, {Checkpoints} checkpoint{(Checkpoints == 1 ? "" : "s")}."
        : $"The log does not verify: {Difference}.";
}
