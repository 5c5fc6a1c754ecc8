namespace Consent.Core.Members;

/// <summary>
/// The e-mails a member can opt in to, each separately and never pre-ticked. The keys are what the member's consent records
/// hold as their decisions' keys, so they keep their spelling for ever.
/// </summary>
public static class CommunicationPurposes
{
    public const string Newsletter = "newsletter";
    public const string Events = "events";
    public const string PartnerEvents = "partner-events";
    public const string Offers = "offers";

    /// <summary>In the order the privacy page lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Newsletter, Events, PartnerEvents, Offers];

    /// <summary>The purposes that are prospecting: an objection stops them, and they lapse after the last contact.</summary>
    public static bool IsProspecting(string purpose) => purpose == Offers;

    public static bool IsKnown(string? purpose) => purpose is not null && All.Contains(purpose, StringComparer.Ordinal);
}
