namespace Consent.Fuzz;

/// <summary>A reader answered, but not as it promises: for afl-fuzz a crash like any other exception.</summary>
public sealed class PropertyViolation(string message) : Exception(message)
{
    public static void Unless(bool holds, string message)
    {
        if (!holds) throw new PropertyViolation(message);
    }
}
