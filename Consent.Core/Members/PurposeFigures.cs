namespace Consent.Core.Members;

/// <summary>
/// One purpose among the members who confirmed their e-mail: how many opted in, and how many actually receive it (an objection
/// or a restriction stops what was ticked).
/// </summary>
public sealed record PurposeFigures(string Purpose, int OptedIn, int Receiving, int ConfirmedMembers)
{
    /// <summary>Opted in ÷ confirmed members; null without any.</summary>
    public double? OptInRate => ConfirmedMembers == 0 ? null : (double)OptedIn / ConfirmedMembers;
}
