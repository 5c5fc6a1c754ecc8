using System.Globalization;

namespace Consent.Core.PrivacyPolicy;

/// <summary>One third party that processes personal data for the controller, as the privacy policy lists it (entry of "Consent:Processors").</summary>
public sealed class Processor
{
    public string Name { get; set; } = "";

    /// <summary>What it does with the data, written in the site's language: the page shows it as written.</summary>
    public string Purpose { get; set; } = "";

    /// <summary>ISO 3166-1 alpha-2 code of the country where it processes the data.</summary>
    public string Country { get; set; } = "";

    /// <summary>One of <see cref="TransferSafeguards.All"/>, or another safeguard written out in words.</summary>
    public string Safeguard { get; set; } = "";

    public string? Url { get; set; }

    /// <summary>An entry shipped as an example, not a real processor; the page says so.</summary>
    public bool Example { get; set; }

    /// <summary>The country's name in <paramref name="language"/> ("États-Unis" in French), or in English when that language has no name for it.</summary>
    public string CountryName(CultureInfo language)
    {
        try
        {
            return new RegionInfo($"{language.TwoLetterISOLanguageName}-{Country}").NativeName;
        }
        catch (ArgumentException)
        {
            return new RegionInfo(Country).EnglishName;
        }
    }
}
