namespace Consent.Core.Log;

/// <summary>A signed checkpoint of the tree (C2SP tlog-checkpoint in a signed note), kept for ever: the history anyone can check against.</summary>
public sealed class LogCheckpoint
{
    public long Id { get; set; }
    public long TreeSize { get; set; }
    public required byte[] RootHash { get; set; }

    /// <summary>The whole signed note, as served at <c>/log/checkpoint</c>.</summary>
    public required string Note { get; set; }

    /// <summary>The name of the key that signed it.</summary>
    public required string KeyName { get; set; }

    public DateTime SignedAt { get; set; }

    /// <summary>The RFC 3161 timestamp token over the note, when an authority is configured and answered.</summary>
    public byte[]? TimestampToken { get; set; }
}
