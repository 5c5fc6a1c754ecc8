namespace Consent.Core.Members;

/// <summary>The longest value each member field takes, checked by the validators before anything is stored.</summary>
public static class MemberLimits
{
    public const int UserNameMin = 3;
    public const int UserName = 50;
    public const int Email = 256;
    public const int Field = 200;
    public const int Url = 300;
    public const int Password = 1024;
}
