namespace Consent.Core.Requests;

/// <summary>What the DPO types for a step of the inbox; each step reads its own fields (<see cref="RequestStepInputValidator"/>'s rule sets).</summary>
public sealed class RequestStepInput
{
    /// <summary>A team account's e-mail, or null to unassign.</summary>
    public string? Assignee { get; set; }

    public string? Note { get; set; }

    /// <summary>The reply's text, as mailed.</summary>
    public string? Body { get; set; }

    /// <summary>Why the request is extended, refused or withdrawn.</summary>
    public string? Reason { get; set; }

    /// <summary>The further months of an extension.</summary>
    public int Months { get; set; }
}
