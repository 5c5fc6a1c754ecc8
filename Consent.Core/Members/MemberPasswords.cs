namespace Consent.Core.Members;

/// <summary>The password rule members share with the privacy team: length, not composition (NIST SP 800-63B).</summary>
public static class MemberPasswords
{
    public const int MinLength = 12;
}
