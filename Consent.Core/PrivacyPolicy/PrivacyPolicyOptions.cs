namespace Consent.Core.PrivacyPolicy;

/// <summary>
/// What the privacy policy page states from section "Consent" besides the controller (<c>Consent:Controller</c>) and the
/// retention periods (<c>Consent:Members:Retention</c>): the DPO and the processors.
/// </summary>
public sealed class PrivacyPolicyOptions
{
    public DpoOptions Dpo { get; set; } = new();

    /// <summary>
    /// Every processor, as configured. appsettings.json ships examples (<see cref="Processor.Example"/>); configuration can add
    /// entries but not remove them, so once one entry is real the examples are no longer shown (<see cref="ShownProcessors"/>).
    /// </summary>
    public List<Processor> Processors { get; set; } = [];

    /// <summary>The processors the page lists: the real ones, or the examples while no real one is configured.</summary>
    public IReadOnlyList<Processor> ShownProcessors =>
        Processors.Any(p => !p.Example) ? [.. Processors.Where(p => !p.Example)] : Processors;

    /// <summary>Whether the list shown is the shipped example.</summary>
    public bool ShowsExamples => Processors.Count > 0 && Processors.All(p => p.Example);
}
