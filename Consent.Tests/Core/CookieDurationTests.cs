using Consent.Core.Catalogue;

namespace Consent.Tests.Core;

public class CookieDurationTests
{
    [Theory]
    [InlineData("5 years", DurationKind.Fixed, 5, DurationUnit.Years)]
    [InlineData("30 Minutes", DurationKind.Fixed, 30, DurationUnit.Minutes)]
    [InlineData("24 hours", DurationKind.Fixed, 24, DurationUnit.Hours)]
    [InlineData("1 day", DurationKind.Fixed, 1, DurationUnit.Days)]
    [InlineData("Persistent", DurationKind.Persistent, null, null)]
    [InlineData("Session", DurationKind.Session, null, null)]
    public void A_duration_is_read_into_its_parts_and_displays_as_written(string text, DurationKind kind, int? amount, DurationUnit? unit)
    {
        var duration = CookieDuration.Parse(text);

        Assert.NotNull(duration);
        Assert.Equal((kind, amount, unit), (duration.Kind, duration.Amount, duration.Unit));
        Assert.Equal(text, duration.ToString());
    }

    [Fact]
    public void Extra_spaces_are_dropped_and_session_and_persistent_are_capitalised()
    {
        Assert.Equal("12 months", CookieDuration.Parse("  12   months ")!.ToString());
        Assert.Equal("Persistent", CookieDuration.Parse("persistent")!.ToString());
    }

    [Fact]
    public void A_duration_made_from_its_parts_is_singular_for_one()
    {
        Assert.Equal("1 month", CookieDuration.Of(1, DurationUnit.Months).ToString());
        Assert.Equal("6 months", CookieDuration.Of(6, DurationUnit.Months).ToString());
    }
}
