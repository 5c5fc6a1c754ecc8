namespace Consent.Core.Requests;

/// <summary>The longest value each request field takes, checked by the validators before anything is stored.</summary>
public static class RequestLimits
{
    public const int Reference = 16;
    public const int Email = 256;
    public const int Name = 200;
    public const int Details = 4000;
    public const int Reason = 2000;
    public const int Note = 4000;
    public const int Reply = 10000;
    public const int Actor = 256;
    public const int FileName = 120;
    public const int CodeLength = 6;
}
