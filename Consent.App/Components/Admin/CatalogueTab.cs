using Consent.Core.Catalogue;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using Severity = MudBlazor.Severity;
using ValidationException = FluentValidation.ValidationException;

namespace Consent.App.Components.Admin;

/// <summary>
/// What the catalogue's tabs (cookies, categories, suppliers) share: the edit panel's state, saving with
/// field messages from the Core validator, and changes whose refusal or conflict is shown instead of
/// ending the page.
/// </summary>
public abstract class CatalogueTab<TInput> : ComponentBase where TInput : class
{
    /// <summary>Who makes the changes, for the audit trail.</summary>
    [Parameter, EditorRequired]
    public string Actor { get; set; } = "";

    /// <summary>Raised after a change is saved, so the page reads the catalogue again.</summary>
    [Parameter]
    public EventCallback Changed { get; set; }

    [Inject] protected CatalogueService Catalogue { get; set; } = default!;
    [Inject] protected IValidator<TInput> Validator { get; set; } = default!;
    [Inject] protected IDialogService Dialogs { get; set; } = default!;

    protected MudForm? form;
    protected TInput? input;
    protected int? editingId;
    protected string? editingName;
    protected IReadOnlyList<string> saveErrors = [];
    protected bool saving;
    protected string? status;
    protected Severity statusSeverity;
    protected Func<object, string, Task<IEnumerable<string>>> validation = null!;

    protected override void OnInitialized() => validation = FieldValidation.For(Validator);

    protected void Open(int? id, string? name, TInput value)
    {
        (editingId, editingName, input, saveErrors, status) = (id, name, value, [], null);
    }

    protected void Close() => (input, editingId, editingName, saveErrors) = (null, null, null, []);

    /// <summary>Validates the panel's form, then runs <paramref name="save"/>; on success closes the panel and says <paramref name="done"/>.</summary>
    protected async Task SaveFormAsync(Func<TInput, Task> save, Func<string> done)
    {
        if (form is null || input is null) return;
        await form.ValidateAsync();
        if (!form.IsValid) return;
        saving = true;
        try
        {
            var message = done();
            await save(input);
            Close();
            (status, statusSeverity) = (message, Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (ValidationException error)
        {
            saveErrors = FieldValidation.Messages(error);
        }
        catch (Exception conflict) when (conflict is CatalogueRuleException or KeyNotFoundException or DbUpdateException)
        {
            await ShowRefusalAsync(conflict);
        }
        finally
        {
            saving = false;
        }
    }

    /// <summary>Runs a change that needs no form (a deletion); a refusal or a conflict is shown, never thrown.</summary>
    protected async Task ChangeAsync(int id, Func<Task> change, string done)
    {
        try
        {
            await change();
            if (editingId == id) Close();
            (status, statusSeverity) = (done, Severity.Success);
            await Changed.InvokeAsync();
        }
        catch (Exception refusal) when (refusal is CatalogueRuleException or KeyNotFoundException or DbUpdateException)
        {
            await ShowRefusalAsync(refusal);
        }
    }

    /// <summary>
    /// A rule's refusal says why; a row deleted or taken by another member at the same moment is reported
    /// as such, and the tab reads the catalogue again so it shows what is there now.
    /// </summary>
    private async Task ShowRefusalAsync(Exception refusal)
    {
        var message = refusal is CatalogueRuleException
            ? refusal.Message
            : "Someone else changed the catalogue at the same moment, so this change was not saved. The lists now show the catalogue as it is; check it and try again.";
        (status, statusSeverity) = (message, Severity.Error);
        if (refusal is not CatalogueRuleException) await Changed.InvokeAsync();
    }
}
