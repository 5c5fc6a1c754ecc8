using MudBlazor;

namespace Consent.App.Components.Layout;

/// <summary>The MudBlazor theme, matching the colours of the visitor pages' CSS (wwwroot/app.css).</summary>
public static class SiteTheme
{
    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#1f4e79",
            Secondary = "#5a3e85",
            AppbarBackground = "#1f4e79",
            TextPrimary = "#1b1b1b",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"] },
        },
    };
}
