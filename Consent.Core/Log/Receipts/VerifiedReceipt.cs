using Consent.Core.Log.Checkpoints;

namespace Consent.Core.Log.Receipts;

/// <summary>What a verified receipt proves: this record, with these answers, is leaf <see cref="LeafIndex"/> of a checkpoint the key signed.</summary>
public sealed record VerifiedReceipt(
    Guid ConsentId,
    IReadOnlyList<ReceiptPurpose> Purposes,
    long LeafIndex,
    long TreeSize,
    string KeyName,
    bool VisitorChecked,
    VerifiedTimestamp? Timestamp);
