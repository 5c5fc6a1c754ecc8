namespace Consent.Core.Requests;

/// <summary>The one-click fulfilments that apply to a pending request, given what the center holds.</summary>
public sealed record RequestFulfilments(bool MemberExport, bool ConsentHistory, bool MemberErasure)
{
    public bool Any => MemberExport || ConsentHistory || MemberErasure;
}
