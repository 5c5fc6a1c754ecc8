using Consent.Core.Catalogue;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

public partial class CatalogueSuppliers
{
    [Parameter, EditorRequired]
    public IReadOnlyList<SupplierRow> Suppliers { get; set; } = [];

    /// <summary>Who makes the changes, for the audit trail.</summary>
    [Parameter, EditorRequired]
    public string Actor { get; set; } = "";

    /// <summary>Raised after a change is saved, so the page reads the catalogue again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    private MudForm? form;
    private SupplierInput? input;
    private int? editingId;
    private string? editingName;
    private IReadOnlyList<string> saveErrors = [];
    private bool saving;
    private string? status;
    private Severity statusSeverity;
    private Func<object, string, Task<IEnumerable<string>>> validation = null!;

    protected override void OnInitialized() => validation = FieldValidation.For(Validator);

    private void StartRename(SupplierRow row) =>
        (editingId, editingName, input, saveErrors, status) = (row.Id, row.Name, new SupplierInput { Id = row.Id, Name = row.Name }, [], null);

    private void Close() => (input, editingId, editingName, saveErrors) = (null, null, null, []);

    private async Task SaveAsync()
    {
        if (form is null || input is null || editingId is not { } id) return;
        await form.ValidateAsync();
        if (!form.IsValid) return;
        saving = true;
        try
        {
            var (from, to) = (editingName, input.Name!.Trim());
            await Catalogue.RenameSupplierAsync(id, input, Actor);
            Close();
            (status, statusSeverity) = ($"Renamed “{from}” to “{to}”. The cookie policy shows the new name now.", Severity.Success);
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

    private async Task DeleteAsync(SupplierRow row)
    {
        // A supplier that still has cookies is refused by the service; asking to confirm first would only delay the reason.
        if (row.CookieCount == 0)
        {
            var confirmed = await Dialogs.ShowMessageBoxAsync(
                "Delete this supplier?", $"“{row.Name}” has no cookies left in the catalogue.", yesText: "Delete supplier", cancelText: "Cancel", options: ConfirmDialogs.Options);
            if (confirmed != true) return;
        }
        try
        {
            await Catalogue.DeleteSupplierAsync(row.Id, Actor);
            if (editingId == row.Id) Close();
            (status, statusSeverity) = ($"Deleted the supplier “{row.Name}”.", Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (CatalogueRuleException refusal)
        {
            (status, statusSeverity) = (refusal.Message, Severity.Error);
        }
    }
}
