using System.Globalization;

namespace Consent.Core.Catalogue;

public enum DurationKind { Session, Persistent, Fixed }

public enum DurationUnit { Minutes, Hours, Days, Weeks, Months, Years }

/// <summary>
/// How long a cookie lives: for the browser session, persistent (no fixed end), or a number of
/// units. Kept structured (so it can be compared with what a browser really stores) and as the
/// privacy team wrote it, so the policy reads exactly as written: "5 years", "30 Minutes", "Persistent".
/// </summary>
public sealed record CookieDuration(DurationKind Kind, int? Amount, DurationUnit? Unit, string Text)
{
    public const int MaxAmount = 1000;
    public const int MaxText = 40;

    public static CookieDuration Session { get; } = new(DurationKind.Session, null, null, "Session");
    public static CookieDuration Persistent { get; } = new(DurationKind.Persistent, null, null, "Persistent");

    public static CookieDuration Of(int amount, DurationUnit unit)
    {
        var word = unit.ToString().ToLowerInvariant();
        return new(DurationKind.Fixed, amount, unit, $"{amount} {(amount == 1 ? word[..^1] : word)}");
    }

    /// <summary>Reads "5 years", "30 Minutes", "1 day", "Session" or "Persistent" (any case); null when it is none of those.</summary>
    public static CookieDuration? Parse(string? text)
    {
        var parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && parts[0].Equals("session", StringComparison.OrdinalIgnoreCase)) return Session;
        if (parts.Length == 1 && parts[0].Equals("persistent", StringComparison.OrdinalIgnoreCase)) return Persistent;
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)) return null;
        if (amount is < 1 or > MaxAmount) return null;
        var word = parts[1].TrimEnd('s', 'S');
        var unit = Enum.GetValues<DurationUnit>()
            .Where(u => u.ToString().TrimEnd('s').Equals(word, StringComparison.OrdinalIgnoreCase))
            .Select(u => (DurationUnit?)u).FirstOrDefault();
        return unit is null ? null : new CookieDuration(DurationKind.Fixed, amount, unit, $"{amount} {parts[1]}");
    }

    public override string ToString() => Text;
}
