namespace Consent.Core.Requests;

/// <summary>What the register lists: statuses (null: the pending ones), a type, how due, a search, one page of it.</summary>
public sealed record RequestQuery
{
    /// <summary>Null lists the pending requests; <see cref="RequestStatus.AwaitingVerification"/> appears only when asked for.</summary>
    public IReadOnlyList<RequestStatus>? Statuses { get; init; }

    public RequestType? Type { get; init; }

    public RequestDue Due { get; init; } = RequestDue.All;

    /// <summary>Part of a reference, an e-mail address or a name, in any case.</summary>
    public string? Search { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; } = 25;
}
