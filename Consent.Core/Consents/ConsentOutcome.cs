namespace Consent.Core.Consents;

public enum ConsentOutcomeKind
{
    /// <summary>Stored now.</summary>
    Recorded,

    /// <summary>A retry with the same idempotency key: answered from the record stored the first time, nothing stored.</summary>
    Replayed,

    /// <summary>Refused with field messages; nothing stored.</summary>
    Refused,

    /// <summary>The choice answers a policy version since replaced: nothing stored, the visitor must be asked again.</summary>
    Superseded,

    /// <summary>The idempotency key was used before for another choice: nothing stored.</summary>
    KeyReused,
}

/// <summary>What became of a submitted choice; every caller (form, API) answers from it, none catches an exception.</summary>
public sealed record ConsentOutcome(ConsentOutcomeKind Kind, ConsentReceipt? Receipt, IReadOnlyDictionary<string, string[]> Errors, int CurrentPolicyVersion)
{
    /// <summary>The title of every refusal of a choice, by the form and the API alike.</summary>
    public const string RefusedTitle = "This cookie choice could not be recorded";

    private static readonly IReadOnlyDictionary<string, string[]> NoErrors = new Dictionary<string, string[]>();

    /// <summary>Stored now or the first time: the receipt and its cookie are the answer.</summary>
    public bool IsRecorded => Receipt is not null;

    public static ConsentOutcome Recorded(ConsentReceipt receipt, bool replayed) =>
        new(replayed ? ConsentOutcomeKind.Replayed : ConsentOutcomeKind.Recorded, receipt, NoErrors, receipt.Record.PolicyVersion);

    public static ConsentOutcome Refused(IReadOnlyDictionary<string, string[]> errors, ConsentOutcomeKind kind, int currentPolicyVersion) =>
        new(kind, null, errors, currentPolicyVersion);
}
