namespace Consent.Core.Consents;

/// <summary>A secret the center generates on first start and keeps in its database, so every instance signs alike.</summary>
public sealed class SigningKey
{
    public required string Purpose { get; set; }
    public required byte[] Key { get; set; }
    public DateTime CreatedAt { get; set; }
}
