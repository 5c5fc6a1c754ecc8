namespace Consent.Core.Members;

/// <summary>How many members there are, how many confirmed their e-mail, and the figures of each purpose over the confirmed ones.</summary>
public sealed record CommunicationFigures(int Members, int ConfirmedMembers, IReadOnlyList<PurposeFigures> Purposes);
