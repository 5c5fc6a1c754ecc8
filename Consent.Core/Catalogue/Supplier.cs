namespace Consent.Core.Catalogue;

/// <summary>Who sets a cookie ("Gainsight"); the center itself is a supplier too.</summary>
public sealed class Supplier
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public List<CookieDefinition> Cookies { get; set; } = [];
}
