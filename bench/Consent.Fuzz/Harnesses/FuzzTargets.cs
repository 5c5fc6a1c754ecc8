namespace Consent.Fuzz;

/// <summary>The harnesses by the name bench/fuzz and the corpus folders use.</summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, FuzzTarget> All { get; } = new Dictionary<string, FuzzTarget>
    {
        ["cookie"] = CookieTarget.Run,
        ["duration"] = DurationTarget.Run,
        ["json"] = JsonTarget.Run,
        ["form"] = FormTarget.Run,
    };
}
