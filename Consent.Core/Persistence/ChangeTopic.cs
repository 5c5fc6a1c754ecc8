namespace Consent.Core.Persistence;

/// <summary>What changed, as instances tell each other (<see cref="ChangeFeed"/>). Sent by name.</summary>
public enum ChangeTopic
{
    Catalogue,
    Policies,
    Settings,
    Statistics,
    Keys,
}
