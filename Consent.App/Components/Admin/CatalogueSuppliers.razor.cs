using Consent.Core.Catalogue;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

public partial class CatalogueSuppliers
{
    [Parameter, EditorRequired]
    public IReadOnlyList<SupplierRow> Suppliers { get; set; } = [];


    private void StartRename(SupplierRow row) => Open(row.Id, row.Name, new SupplierInput { Id = row.Id, Name = row.Name });


    private Task SaveAsync()
    {
        var from = editingName;
        return SaveFormAsync(
            supplier => Catalogue.RenameSupplierAsync(editingId!.Value, supplier, Actor),
            () => $"Renamed “{from}” to “{input!.Name!.Trim()}”. The cookie policy shows the new name now.");
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
        await ChangeAsync(row.Id, () => Catalogue.DeleteSupplierAsync(row.Id, Actor), $"Deleted the supplier “{row.Name}”.");
    }
}
