namespace Consent.Core.Members;

/// <summary>What the member wants done with their data after their death. Stored as its number.</summary>
public enum DeathDirective
{
    Delete = 0,
    Keep = 1,
    PassToTrustedPerson = 2,
}
