using System.Globalization;
using System.Resources;

namespace Consent.Core.Members;

/// <summary>
/// The texts a member reads (pages, field messages, e-mails): <c>MemberTexts.resx</c> in English and one
/// <c>MemberTexts.&lt;code&gt;.resx</c> per other language, as <see cref="Languages.VisitorTexts"/> for visitors.
/// </summary>
public sealed class MemberTexts
{
    private MemberTexts()
    {
    }

    public static ResourceManager Resources { get; } = new(typeof(MemberTexts));

    /// <summary>The text of <paramref name="key"/> in the current UI culture (the request's language), formatted with the arguments.</summary>
    public static string Get(string key, params object?[] args) => In(CultureInfo.CurrentUICulture, key, args);

    public static string In(CultureInfo culture, string key, params object?[] args)
    {
        var text = Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"MemberTexts has no text {key}.");
        return args.Length == 0 ? text : string.Format(culture, text, args);
    }
}
