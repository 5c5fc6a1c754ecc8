namespace Consent.Core.Consents;

/// <summary>
/// A secret the center generates and keeps in its database, so every instance signs alike. The secret itself is
/// stored encrypted by ASP.NET Core Data Protection, whose keys are in the same database and can be protected at
/// rest by a certificate. A purpose may hold several keys: the newest active one signs, all of them verify,
/// so a rotation does not invalidate what older keys signed.
/// </summary>
public sealed class SigningKey
{
    public int Id { get; set; }
    public required string Purpose { get; set; }

    /// <summary>The secret, as Data Protection encrypted it.</summary>
    public required byte[] ProtectedSecret { get; set; }

    /// <summary>The key's name where others verify with it (the log's note key name); null for the center's own secrets.</summary>
    public string? Name { get; set; }

    /// <summary>The public half of an asymmetric key (the log's Ed25519 key), readable without Data Protection.</summary>
    public byte[]? PublicKey { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>From when the key signs. A rotated key activates later, once every instance has read it.</summary>
    public DateTime ActivatesAt { get; set; }
}
