using Consent.Core.Consents;

namespace Consent.Tests.Core;

public class VisitorContextTests
{
    [Theory]
    [InlineData("fr", "fr")]
    [InlineData("fr-FR", "fr")]
    [InlineData("en", "en")]
    [InlineData("de", "en")]
    [InlineData("en-GB,en;q=0.8", "en")]
    [InlineData(null, "en")]
    public void Language_is_the_one_the_banner_was_shown_in_else_english(string? shown, string expected)
    {
        Assert.Equal(expected, new VisitorContext(null, shown, null).Language);
    }

    [Theory]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36", "Chrome")]
    [InlineData("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0", "Edge")]
    [InlineData("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "Firefox")]
    [InlineData("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1", "Safari")]
    [InlineData("curl/8.0", "Other")]
    [InlineData(null, "Other")]
    public void Browser_family_is_kept_without_version_or_platform(string? userAgent, string expected)
    {
        Assert.Equal(expected, new VisitorContext(null, null, userAgent).BrowserFamily);
    }
}
