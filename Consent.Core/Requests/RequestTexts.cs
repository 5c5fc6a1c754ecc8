using System.Globalization;
using System.Resources;

namespace Consent.Core.Requests;

/// <summary>
/// The texts of rights requests (the form, field messages, the mails to requesters and to the DPO): <c>RequestTexts.resx</c> in English and one
/// <c>RequestTexts.&lt;code&gt;.resx</c> per other language, as <see cref="Members.MemberTexts"/> for members.
/// </summary>
public sealed class RequestTexts
{
    private RequestTexts()
    {
    }

    public static ResourceManager Resources { get; } = new(typeof(RequestTexts));

    /// <summary>The text of <paramref name="key"/> in the current UI culture (the request's language), formatted with the arguments.</summary>
    public static string Get(string key, params object?[] args) => In(CultureInfo.CurrentUICulture, key, args);

    public static string In(CultureInfo culture, string key, params object?[] args)
    {
        var text = Resources.GetString(key, culture) ?? throw new KeyNotFoundException($"RequestTexts has no text {key}.");
        return args.Length == 0 ? text : string.Format(culture, text, args);
    }
}
