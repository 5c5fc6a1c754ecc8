namespace Consent.Core.Log.Receipts;

/// <summary>One category of the catalogue and the visitor's answer for it, in catalogue order, as the record's leaf lists them.</summary>
public sealed record ReceiptPurpose(
    string Purpose,
    string CategoryKey,
    bool Required,
    string ConsentType,
    bool Granted);
