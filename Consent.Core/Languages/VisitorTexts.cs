using System.Resources;

namespace Consent.Core.Languages;

/// <summary>
/// Names the resource files of every text a visitor reads: <c>VisitorTexts.resx</c> (English, the neutral
/// language) and one <c>VisitorTexts.&lt;code&gt;.resx</c> per other language. Components read them through
/// <c>IStringLocalizer&lt;VisitorTexts&gt;</c>; Core reads them through <see cref="Resources"/>, without ASP.NET.
/// </summary>
public sealed class VisitorTexts
{
    private VisitorTexts()
    {
    }

    /// <summary>The same resources <c>IStringLocalizer&lt;VisitorTexts&gt;</c> reads (base name = this type's full name).</summary>
    public static ResourceManager Resources { get; } = new(typeof(VisitorTexts));
}
