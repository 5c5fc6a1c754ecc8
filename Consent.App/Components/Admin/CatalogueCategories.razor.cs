using Consent.Core.Catalogue;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

public partial class CatalogueCategories
{
    [Parameter, EditorRequired]
    public IReadOnlyList<CategoryRow> Categories { get; set; } = [];

    /// <summary>Who makes the changes, for the audit trail.</summary>
    [Parameter, EditorRequired]
    public string Actor { get; set; } = "";

    /// <summary>Raised after a change is saved, so the page reads the catalogue again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private MudForm? form;
    private CategoryInput? input;
    private int? editingId;
    private string? editingName;
    private IReadOnlyList<string> saveErrors = [];
    private bool saving;
    private string? status;
    private Severity statusSeverity;
    private Func<object, string, Task<IEnumerable<string>>> validation = null!;

    protected override void OnInitialized() => validation = FieldValidation.For(Validator);

    private void StartAdd() => Open(null, null, new CategoryInput { Order = Categories.Count == 0 ? 0 : Categories.Max(c => c.Order) + 1 });

    private void StartEdit(CategoryRow row) => Open(row.Id, row.Name, new CategoryInput
    {
        Key = row.Key,
        Name = row.Name,
        Description = row.Description,
        IsRequired = row.IsRequired,
        Order = row.Order,
    });

    private void Open(int? id, string? name, CategoryInput value)
    {
        (editingId, editingName, input, saveErrors, status) = (id, name, value, [], null);
        value.Id = id;
    }

    private void Close() => (input, editingId, editingName, saveErrors) = (null, null, null, []);

    private async Task SaveAsync()
    {
        if (form is null || input is null) return;
        await form.ValidateAsync();
        if (!form.IsValid) return;
        saving = true;
        try
        {
            var name = input.Name!.Trim();
            if (editingId is { } id)
            {
                await Catalogue.UpdateCategoryAsync(id, input, Actor);
            }
            else
            {
                await Catalogue.AddCategoryAsync(input, Actor);
            }
            Close();
            (status, statusSeverity) = ($"Saved the category “{name}”.", Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (ValidationException error)
        {
            saveErrors = FieldValidation.Messages(error);
        }
        finally
        {
            saving = false;
        }
    }

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
        try
        {
            await Catalogue.DeleteCategoryAsync(row.Id, moveTo, Actor);
            if (editingId == row.Id) Close();
            (status, statusSeverity) = (moveTo is null
                ? $"Deleted the category “{row.Name}”."
                : $"Moved the cookies of “{row.Name}” to “{Categories.Single(c => c.Key == moveTo).Name}” and deleted the category.", Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (CatalogueRuleException refusal)
        {
            (status, statusSeverity) = (refusal.Message, Severity.Error);
        }
    }
}
