using Consent.Core.Catalogue;

namespace Consent.Tests.Core;

public class CookieDurationTests
{
    [Fact]
    public void Durations_display_as_the_cookie_policy_writes_them()
    {
        Assert.Equal("5 years", CookieDuration.Of(5, DurationUnit.Years).ToString());
        Assert.Equal("30 minutes", CookieDuration.Of(30, DurationUnit.Minutes).ToString());
        Assert.Equal("24 hours", CookieDuration.Of(24, DurationUnit.Hours).ToString());
        Assert.Equal("Persistent", CookieDuration.Persistent.ToString());
        Assert.Equal("Session", CookieDuration.Session.ToString());
    }

    [Fact]
    public void One_unit_is_singular()
    {
        Assert.Equal("1 day", CookieDuration.Of(1, DurationUnit.Days).ToString());
        Assert.Equal("1 month", CookieDuration.Of(1, DurationUnit.Months).ToString());
    }
}
