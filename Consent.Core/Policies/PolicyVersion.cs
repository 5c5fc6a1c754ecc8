namespace Consent.Core.Policies;

/// <summary>A published version of the cookie policy. A decision answers exactly one version.</summary>
public sealed class PolicyVersion
{
    public int Number { get; set; }
    public DateTime PublishedAt { get; set; }
    public required string Summary { get; set; }
}
