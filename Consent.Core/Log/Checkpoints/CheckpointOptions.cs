namespace Consent.Core.Log.Checkpoints;

/// <summary>Settings of section "Consent:Log": who the log says it is, how often it signs, and who timestamps it.</summary>
public sealed class CheckpointOptions
{
    public const string Section = "Log";

    /// <summary>The first line of every checkpoint and the first key's name; set it once, to a name of your own.</summary>
    public string Origin { get; set; } = "consent-center.local/log";

    /// <summary>How often the center signs a checkpoint when the log has grown.</summary>
    public int CheckpointMinutes { get; set; } = 10;

    public TimestampOptions Timestamp { get; set; } = new();
}
