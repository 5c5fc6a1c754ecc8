using Consent.Core.Catalogue;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

public partial class CatalogueCategories
{
    [Parameter, EditorRequired]
    public IReadOnlyList<CategoryRow> Categories { get; set; } = [];


    private void StartAdd() => Open(null, null, new CategoryInput
    {
        Order = Categories.Count == 0 ? 0 : Categories.Max(c => c.Order) + 1,
        GoogleConsentTypes = [],
    });

    private void StartEdit(CategoryRow row) => Open(row.Id, row.Name, CategoryInput.From(row));

    private void SetType(string type, bool granted)
    {
        var types = input!.GoogleConsentTypes ??= [];
        types.Remove(type);
        if (granted) types.Add(type);
    }

    private Task SaveAsync() => SaveFormAsync(
        category => editingId is { } id ? Catalogue.UpdateCategoryAsync(id, category, Actor) : Catalogue.AddCategoryAsync(category, Actor),
        () => $"Saved the category “{input!.Name!.Trim()}”.");

    private async Task DeleteAsync(CategoryRow row)
    {
        // A required category is not confirmed first: the service refuses it, and the reason is shown.
        string? moveTo = null;
        if (!row.IsRequired && row.CookieCount == 0)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Delete this category?",
                $"“{row.Name}” has no cookies. Visitors will no longer be asked about it; their past decisions keep it.",
                yesText: "Delete category", cancelText: "Cancel", options: ConfirmDialogs.Options);
            if (confirmed != true) return;
        }
        else if (!row.IsRequired)
        {
            var parameters = new DialogParameters<DeleteCategoryDialog>
            {
                { d => d.Category, row },
                { d => d.Targets, Categories.Where(c => c.Id != row.Id).ToList() },
            };
            var dialog = await Dialogs.ShowAsync<DeleteCategoryDialog>("Delete this category?", parameters, ConfirmDialogs.Options);
            var result = await dialog.Result;
            if (result is null || result.Canceled) return;
            moveTo = result.Data as string;
        }
        await ChangeAsync(row.Id, () => Catalogue.DeleteCategoryAsync(row.Id, moveTo, Actor), moveTo is null
            ? $"Deleted the category “{row.Name}”."
            : $"Moved the cookies of “{row.Name}” to “{Categories.Single(c => c.Key == moveTo).Name}” and deleted the category.");
    }
}
