namespace Consent.Core.Requests;

/// <summary>A request as the DPO's reminder lists it: no requester's address, name or details.</summary>
public sealed record RemindedRequest(string Reference, RequestType Type, RequestStatus Status, DateOnly DueOn, int DaysLeft, string? AssignedTo);
