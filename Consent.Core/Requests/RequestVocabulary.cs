namespace Consent.Core.Requests;

/// <summary>The kebab-case names of request types and statuses, used in forms, URLs, CSV and the audit trail.</summary>
public static class RequestVocabulary
{
    public static IReadOnlyList<RequestType> Types { get; } = Enum.GetValues<RequestType>();

    public static IReadOnlyList<RequestStatus> Statuses { get; } = Enum.GetValues<RequestStatus>();

    /// <summary>Statuses of a request in the register still waiting for its answer.</summary>
    public static IReadOnlyList<RequestStatus> Pending { get; } = [RequestStatus.Open, RequestStatus.InProgress, RequestStatus.Extended];

    public static bool IsPending(RequestStatus status) => Pending.Contains(status);

    public static bool IsClosed(RequestStatus status) => status is RequestStatus.Answered or RequestStatus.Refused or RequestStatus.Withdrawn;

    public static string Name(RequestType type) => type switch
    {
        RequestType.Access => "access",
        RequestType.Rectification => "rectification",
        RequestType.Erasure => "erasure",
        RequestType.Restriction => "restriction",
        RequestType.Portability => "portability",
        RequestType.Objection => "objection",
        RequestType.Withdrawal => "withdrawal",
        RequestType.AutomatedDecision => "automated-decision",
        RequestType.DeathDirective => "death-directive",
        RequestType.Other => "other",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public static string Name(RequestStatus status) => status switch
    {
        RequestStatus.AwaitingVerification => "awaiting-verification",
        RequestStatus.Open => "open",
        RequestStatus.InProgress => "in-progress",
        RequestStatus.Extended => "extended",
        RequestStatus.Answered => "answered",
        RequestStatus.Refused => "refused",
        RequestStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static RequestType? ParseType(string? name) => Types.Cast<RequestType?>().FirstOrDefault(t => Name(t!.Value) == name?.Trim().ToLowerInvariant());

    public static RequestStatus? ParseStatus(string? name) => Statuses.Cast<RequestStatus?>().FirstOrDefault(s => Name(s!.Value) == name?.Trim().ToLowerInvariant());
}
