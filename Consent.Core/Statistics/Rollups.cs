using Consent.Core.Consents;

namespace Consent.Core.Statistics;

/// <summary>The key every rollup shares: a UTC day, the policy version answered or shown, and the language shown.</summary>
public interface IRollupKey
{
    DateOnly Day { get; }
    int PolicyVersion { get; }
    string Language { get; }
}

/// <summary>
/// How many decisions were recorded per UTC day × policy version × language × method × source.
/// Kept in step with the consent log in the same transaction as the records (<see cref="RollupWrites"/>),
/// so the dashboard never has to scan the log.
/// </summary>
public sealed class DecisionRollup : IRollupKey
{
    public DateOnly Day { get; set; }
    public int PolicyVersion { get; set; }
    public required string Language { get; set; }
    public ConsentMethod Method { get; set; }

    /// <summary>Part of the key so that decisions made on the banner can be set against banner views.</summary>
    public ConsentSource Source { get; set; }

    public long Count { get; set; }
}

/// <summary>Per UTC day × policy version × language × category: how many decisions covered the category, and how many granted it.</summary>
public sealed class CategoryRollup : IRollupKey
{
    public DateOnly Day { get; set; }
    public int PolicyVersion { get; set; }
    public required string Language { get; set; }
    public required string CategoryKey { get; set; }

    /// <summary>Decisions that answered this category: the denominator of its opt-in rate, right even for a category added later.</summary>
    public long Decisions { get; set; }

    public long Granted { get; set; }
}

/// <summary>How often the banner was shown to visitors without a valid decision, per UTC day × policy version × language. No identifier.</summary>
public sealed class BannerViewRollup : IRollupKey
{
    public DateOnly Day { get; set; }
    public int PolicyVersion { get; set; }
    public required string Language { get; set; }
    public long Count { get; set; }
}
