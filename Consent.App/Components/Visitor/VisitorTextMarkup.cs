using System.Globalization;
using System.Net;
using Consent.Core.Languages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;

namespace Consent.App.Components.Visitor;

/// <summary>Visitor texts that carry inline HTML: a sentence with a link in the middle is translated as a whole.</summary>
public static class VisitorTextMarkup
{
    /// <summary>
    /// The text of a key ending in ".Html" as markup. The resource files are ours, so their HTML is trusted;
    /// the arguments are not, and are encoded.
    /// </summary>
    public static MarkupString Html(this IStringLocalizer<VisitorTexts> texts, string key, params object?[] args)
    {
        var text = texts[key].Value;
        return new MarkupString(args.Length == 0 ? text
            : string.Format(CultureInfo.CurrentCulture, text, [.. args.Select(a => WebUtility.HtmlEncode(Convert.ToString(a, CultureInfo.CurrentCulture)))]));
    }
}
