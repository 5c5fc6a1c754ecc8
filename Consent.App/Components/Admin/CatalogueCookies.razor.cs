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

    /// <summary>Who makes the changes, for the audit trail.</summary>
    [Parameter, EditorRequired]
    public string Actor { get; set; } = "";

    /// <summary>Raised after a change is saved, so the page reads the catalogue again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private MudForm? form;
    private CookieInput? input;
    private int? editingId;
    private string? editingName;
    private IReadOnlyList<string> saveErrors = [];
    private bool saving;
    private string? search;
    private string? status;
    private Severity statusSeverity;
    private Func<object, string, Task<IEnumerable<string>>> validation = null!;

    protected override void OnInitialized() => validation = FieldValidation.For(Validator);

    private bool Matches(CookieRow row) =>
        string.IsNullOrWhiteSpace(search)
        || new[] { row.Supplier, row.Name, row.CategoryName, row.Duration, row.Function }
            .Any(text => text.Contains(search.Trim(), StringComparison.OrdinalIgnoreCase));

    private string CategoryName(string? key) => Categories.FirstOrDefault(c => c.Key == key)?.Name ?? key ?? "";

    private void StartAdd() => Open(null, null, new CookieInput { CategoryKey = Categories.FirstOrDefault(c => !c.IsRequired)?.Key });

    private void StartEdit(CookieRow row) => Open(row.Id, row.Name, new CookieInput
    {
        SupplierName = row.Supplier,
        Name = row.Name,
        CategoryKey = row.CategoryKey,
        Duration = row.Duration,
        Function = row.Function,
    });

    private void Open(int? id, string? name, CookieInput value)
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
                await Catalogue.UpdateCookieAsync(id, input, Actor);
            }
            else
            {
                await Catalogue.AddCookieAsync(input, Actor);
            }
            Close();
            (status, statusSeverity) = ($"Saved the cookie “{name}”. The cookie policy shows it now.", Severity.Success);
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

    private async Task DeleteAsync(CookieRow row)
    {
        var confirmed = await Dialogs.ShowMessageBoxAsync(
            "Delete this cookie?",
            $"“{row.Name}” by {row.Supplier} will no longer be listed in the cookie policy. The audit trail keeps what it said.",
            yesText: "Delete cookie", cancelText: "Cancel", options: ConfirmDialogs.Options);
        if (confirmed != true) return;
        try
        {
            await Catalogue.DeleteCookieAsync(row.Id, Actor);
            if (editingId == row.Id) Close();
            (status, statusSeverity) = ($"Deleted the cookie “{row.Name}”.", Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (CatalogueRuleException refusal)
        {
            (status, statusSeverity) = (refusal.Message, Severity.Error);
        }
    }
}
