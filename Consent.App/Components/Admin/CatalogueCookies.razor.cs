using Consent.Core.Catalogue;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

public partial class CatalogueCookies
{
    [Parameter, EditorRequired]
    public IReadOnlyList<CookieRow> Cookies { get; set; } = [];

    [Parameter, EditorRequired]
    public IReadOnlyList<CategoryRow> Categories { get; set; } = [];

    private string? search;

    private bool Matches(CookieRow row) =>
        string.IsNullOrWhiteSpace(search)
        || new[] { row.Supplier, row.Name, row.CategoryName, row.Duration, row.Function }
            .Any(text => text.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));

    private string CategoryName(string? key) => Categories.FirstOrDefault(c => c.Key == key)?.Name ?? key ?? "";

    private void StartAdd() => Open(null, null, new CookieInput { CategoryKey = Categories.FirstOrDefault(c => !c.IsRequired)?.Key });

    private void StartEdit(CookieRow row) => Open(row.Id, row.Name, CookieInput.From(row));

    private Task SaveAsync() => SaveFormAsync(
        cookie => editingId is { } id ? Catalogue.UpdateCookieAsync(id, cookie, Actor) : Catalogue.AddCookieAsync(cookie, Actor),
        () => $"Saved the cookie “{input!.Name!.Trim()}”. The cookie policy shows it now.");

    private async Task DeleteAsync(CookieRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete this cookie?",
            $"“{row.Name}” by {row.Supplier} will no longer be listed in the cookie policy. The audit trail keeps what it said.",
            yesText: "Delete cookie", cancelText: "Cancel", options: ConfirmDialogs.Options);
        if (confirmed != true) return;
        await ChangeAsync(row.Id, () => Catalogue.DeleteCookieAsync(row.Id, Actor), $"Deleted the cookie “{row.Name}”.");
    }
}
