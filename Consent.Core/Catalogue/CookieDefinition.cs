namespace Consent.Core.Catalogue;

/// <summary>One row of the cookie policy: supplier, cookie name, duration, function, and its category.</summary>
public sealed class CookieDefinition
{
    public int Id { get; set; }
    public int SupplierId { get; set; }
    public Supplier Supplier { get; set; } = null!;
    public int CategoryId { get; set; }
    public Category Category { get; set; } = null!;
    public required string Name { get; set; }
    public required CookieDuration Duration { get; set; }
    public required string Function { get; set; }
}
