using System.Text;
using Consent.Core.Catalogue;

namespace Consent.Fuzz;

/// <summary><see cref="CookieDuration.Parse"/>: a duration read displays no more than was written and reads back as itself.</summary>
public static class DurationTarget
{
    public static void Run(ReadOnlySpan<byte> input)
    {
        var text = Encoding.UTF8.GetString(input);

        if (CookieDuration.Parse(text) is not { } duration) return;

        PropertyViolation.Unless(duration.Text.Length <= text.Length, $"\"{duration.Text}\" is longer than the text read");
        PropertyViolation.Unless(duration.Kind == DurationKind.Fixed
            ? duration is { Amount: >= 1 and <= CookieDuration.MaxAmount, Unit: not null }
            : duration is { Amount: null, Unit: null }, $"{duration.Kind} with amount {duration.Amount} and unit {duration.Unit}");
        var again = CookieDuration.Parse(duration.Text);
        PropertyViolation.Unless(again == duration, $"\"{duration.Text}\" reads back as {again?.Kind} {again?.Amount} {again?.Unit}");
    }
}
