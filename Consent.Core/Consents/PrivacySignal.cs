namespace Consent.Core.Consents;

/// <summary>A browser's own "do not sell or share / do not track" preference, sent with every request.</summary>
public enum PrivacySignal { None, GlobalPrivacyControl, DoNotTrack }

/// <summary>
/// Reads the browser privacy signals a request carries. A signal is honoured as a refusal of every
/// optional category until the visitor makes an explicit choice: it decides the page on the first
/// request, so there is no banner to flash and nothing to store.
/// </summary>
public static class PrivacySignals
{
    /// <summary>Global Privacy Control (https://privacycg.github.io/gpc-spec/): "1" means the visitor opts out.</summary>
    public const string GpcHeader = "Sec-GPC";

    /// <summary>Do Not Track: "1" means the visitor asks not to be tracked. Retired by browsers, still sent by some.</summary>
    public const string DntHeader = "DNT";

    /// <summary>
    /// The date this center's answer to GPC last changed, served in <c>/.well-known/gpc.json</c>
    /// (the spec's <c>lastUpdate</c>): the day it started honouring the signal.
    /// </summary>
    public static readonly DateOnly GpcSupportUpdated = new(2026, 11, 29);

    /// <summary>
    /// The signal a request carries: GPC first (the one with legal weight under CCPA and a W3C draft),
    /// then DNT. Only the exact value "1" counts, as both specifications define; anything else is no signal.
    /// </summary>
    public static PrivacySignal Read(string? secGpc, string? dnt)
    {
        if (IsOne(secGpc)) return PrivacySignal.GlobalPrivacyControl;
        if (IsOne(dnt)) return PrivacySignal.DoNotTrack;
        return PrivacySignal.None;
    }

    private static bool IsOne(string? value) => value is not null && value.Trim() == "1";
}
