namespace Consent.App.RateLimits;

/// <summary>At most <see cref="PermitLimit"/> requests per fixed window of <see cref="WindowSeconds"/> seconds.</summary>
public sealed class WindowLimit
{
    public const int MaxPermitLimit = 1_000_000;
    public const int MaxWindowSeconds = 86_400;

    public int PermitLimit { get; set; }
    public int WindowSeconds { get; set; }

    public TimeSpan Window => TimeSpan.FromSeconds(WindowSeconds);

    public override string ToString() => $"{PermitLimit} per {WindowSeconds} s";
}
