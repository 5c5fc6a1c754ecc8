using MudBlazor;

namespace Consent.App.Components.Admin;

/// <summary>How the catalogue's confirmation dialogs open: Escape cancels, as a keyboard user expects of a dialog.</summary>
internal static class ConfirmDialogs
{
    public static DialogOptions Options { get; } = new() { CloseOnEscapeKey = true, MaxWidth = MaxWidth.Small, FullWidth = true };
}
