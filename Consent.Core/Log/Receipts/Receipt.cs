using System.Text.Json.Serialization;
using Consent.Core.Catalogue;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;

namespace Consent.Core.Log.Receipts;

/// <summary>
/// A consent receipt (docs/log.md, "Receipts"): field names of the Kantara Consent Receipt v1.1 where it has one, shaped after
/// ISO/IEC TS 27560. It carries every field of the record's leaf, so the leaf is rebuilt from the receipt alone, and the proof
/// that the leaf is in a signed checkpoint. Times are written as the leaf writes them: UTC, six decimals.
/// </summary>
public sealed record Receipt(
    string Version,
    [property: JsonPropertyName("consentReceiptID")] Guid ConsentReceiptId,
    string IssuedAt,
    string Jurisdiction,
    IReadOnlyList<ReceiptController> PiiControllers,
    Guid ConsentId,
    string ConsentTimestamp,
    string ExpiresAt,
    string Method,
    string CollectionMethod,
    string Language,
    string Browser,
    string? Site,
    string PolicyUrl,
    int PolicyVersion,
    string PolicyHash,
    IReadOnlyList<ReceiptPurpose> Purposes,
    string? VisitorCommitment,
    string? PiiPrincipalId,
    string? VisitorSalt,
    string PublicKey,
    ReceiptProof Proof)
{
    /// <summary>Kantara's version string of the specification the field names follow.</summary>
    public const string KantaraVersion = "KI-CR-v1.1.0";

    /// <summary>Each optional purpose was asked for on its own, with a switch: Kantara's "EXPLICIT".</summary>
    public const string ExplicitConsent = "EXPLICIT";

    /// <summary>A required category is always on and asks no consent; Kantara has no word for it, so this one is ours.</summary>
    public const string StrictlyNecessary = "STRICTLY-NECESSARY";

    /// <summary>
    /// The receipt of a stored record with its visitor id and salt, proved against <paramref name="checkpoint"/> by
    /// <paramref name="proof"/>; purposes are named as <paramref name="categories"/> name them, a removed category by its key.
    /// </summary>
    public static Receipt Of(ConsentRecord record, byte[] policyHash, InclusionProof proof, LogCheckpoint checkpoint, NoteVerifier key,
        ControllerOptions controller, string policyUrl, IReadOnlyList<CategoryView> categories, DateTimeOffset issuedAt) =>
        new(KantaraVersion,
            Guid.CreateVersion7(issuedAt),
            LogLeaf.Time(issuedAt.UtcDateTime),
            controller.Jurisdiction,
            [new ReceiptController(controller.Name, controller.Contact, controller.Address, controller.Contact.Contains('@') ? controller.Contact : null)],
            record.Id,
            LogLeaf.Time(record.RecordedAt),
            LogLeaf.Time(record.ExpiresAt),
            ConsentVocabulary.Name(record.Method),
            ConsentVocabulary.Name(record.Source),
            record.Language,
            record.BrowserFamily,
            record.Site,
            policyUrl,
            record.PolicyVersion,
            Convert.ToHexStringLower(policyHash),
            [.. record.Decisions.Select(d => PurposeOf(d, categories.FirstOrDefault(c => c.Key == d.CategoryKey)))],
            record.VisitorCommitment is { } commitment ? Convert.ToHexStringLower(commitment) : null,
            record.VisitorId,
            record.VisitorSalt is { } salt ? Convert.ToHexStringLower(salt) : null,
            key.KeyText,
            new ReceiptProof(
                LogLeaf.Text(record, policyHash),
                proof.LeafIndex,
                proof.TreeSize,
                Convert.ToBase64String(proof.LeafHash),
                [.. proof.Path.Select(Convert.ToBase64String)],
                checkpoint.Note,
                checkpoint.TimestampToken is { } token ? Convert.ToBase64String(token) : null,
                checkpoint.KeyName));

    private static ReceiptPurpose PurposeOf(ConsentDecision decision, CategoryView? category) =>
        new(category?.Name ?? decision.CategoryKey, decision.CategoryKey, category?.IsRequired ?? false,
            category?.IsRequired == true ? StrictlyNecessary : ExplicitConsent, decision.Granted);
}
