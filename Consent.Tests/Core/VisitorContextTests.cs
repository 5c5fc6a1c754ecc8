using Consent.Core.Consents;

namespace Consent.Tests.Core;

public class VisitorContextTests
{
    [Theory]
    [InlineData("en-GB,en;q=0.9", "en")]
    [InlineData("fr-FR,fr;q=0.9,en;q=0.8", "fr")]
    [InlineData("de;q=0.5,EN-us;q=0.7", "en")]
    [InlineData("en;q=0", "en")]
    [InlineData("*", "en")]
    [InlineData("", "en")]
    [InlineData(null, "en")]
    public void Language_is_the_first_preferred_language_the_center_shows_else_english(string? header, string expected)
    {
        Assert.Equal(expected, new VisitorContext(null, header, null).Language);
    }

    [Theory]
    [InlineData("fr", "en-GB", "fr")]
    [InlineData("en", "fr-FR", "en")]
    public void The_language_the_page_was_shown_in_wins_over_the_browser_s(string shown, string header, string expected)
    {
        Assert.Equal(expected, new VisitorContext(null, header, null, shown).Language);
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
