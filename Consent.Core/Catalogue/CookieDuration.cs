namespace Consent.Core.Catalogue;

public enum DurationKind { Session, Persistent, Fixed }

public enum DurationUnit { Minutes, Hours, Days, Months, Years }

/// <summary>
/// How long a cookie lives: for the browser session, persistent (no fixed end), or a number of units.
/// Displays as the cookie policy does: "5 years", "30 minutes", "24 hours", "Persistent", "Session".
/// </summary>
public sealed record CookieDuration(DurationKind Kind, int? Amount = null, DurationUnit? Unit = null)
{
    public static CookieDuration Session { get; } = new(DurationKind.Session);
    public static CookieDuration Persistent { get; } = new(DurationKind.Persistent);

    public static CookieDuration Of(int amount, DurationUnit unit) => new(DurationKind.Fixed, amount, unit);

    public override string ToString() => Kind switch
    {
        DurationKind.Session => "Session",
        DurationKind.Persistent => "Persistent",
        _ => $"{Amount} {UnitText(Amount ?? 0, Unit ?? DurationUnit.Days)}",
    };

    private static string UnitText(int amount, DurationUnit unit)
    {
        var name = unit.ToString().ToLowerInvariant();
        return amount == 1 ? name[..^1] : name;
    }
}
