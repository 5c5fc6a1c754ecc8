namespace Consent.Core.Log;

/// <summary>
/// The tree's one row: its size and right edge. Every commit of records locks it first (<see cref="LogAppender"/>), which gives
/// leaves one order across all instances.
/// </summary>
public sealed class LogHead
{
    public const int SingleId = 1;

    public int Id { get; set; } = SingleId;

    public long Size { get; set; }

    /// <summary>The <see cref="Log.Frontier"/>'s hashes end to end.</summary>
    public byte[] Frontier { get; set; } = [];

    public DateTime UpdatedAt { get; set; }
}
