using Consent.Core.Policies;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Consent.App.Components.Admin;

/// <summary>
/// The consent lifetime and the re-ask interval after a refusal. Errors (CNIL's 13-month limit) block
/// saving; a warning (a re-ask interval under 6 months) is shown and must be confirmed to save.
/// </summary>
public partial class SettingsPage
{
    [Inject] private ConsentSettingsService Settings { get; set; } = default!;
    [Inject] private IValidator<ConsentSettingsInput> Validator { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }

    private MudForm form = default!;
    private ConsentSettingsInput input = new();
    private ConsentSettings? current;
    private IReadOnlyList<string> warnings = [];
    private IReadOnlyList<string> confirmErrors = [];
    private bool busy;
    private bool saved;

    protected override async Task OnInitializedAsync()
    {
        current = await Settings.GetAsync();
        input = new ConsentSettingsInput { LifetimeMonths = current.LifetimeMonths, RefusalLifetimeMonths = current.RefusalLifetimeMonths };
        await RefreshWarningsAsync();
    }

    /// <summary>Field-level errors from the same validator the service applies; warnings are shown apart, not as errors.</summary>
    private Func<object, string, Task<IEnumerable<string>>> ValidateField => ValidateFieldAsync;

    private async Task<IEnumerable<string>> ValidateFieldAsync(object model, string propertyName)
    {
        var result = await Validator.ValidateAsync(ValidationContext<ConsentSettingsInput>.CreateWithOptions(
            (ConsentSettingsInput)model, o => o.IncludeProperties(propertyName)));
        return result.Errors.Where(e => e.Severity == FluentValidation.Severity.Error).Select(e => e.ErrorMessage);
    }

    private void OnLifetimeChanged(int months)
    {
        input.LifetimeMonths = months;
        saved = false;
    }

    private async Task OnRefusalChanged(int months)
    {
        input.RefusalLifetimeMonths = months;
        // A confirmation was given for the value it was given for.
        input.ConfirmShortRefusal = false;
        saved = false;
        await RefreshWarningsAsync();
    }

    private void OnConfirmChanged(bool confirmed)
    {
        input.ConfirmShortRefusal = confirmed;
        if (confirmed) confirmErrors = [];
    }

    private async Task RefreshWarningsAsync()
    {
        var result = await Validator.ValidateAsync(input);
        warnings = result.Errors.Where(e => e.Severity == FluentValidation.Severity.Warning).Select(e => e.ErrorMessage).ToList();
    }

    private async Task SaveAsync()
    {
        saved = false;
        await form.ValidateAsync();
        var result = await Validator.ValidateAsync(input);
        var errors = result.Errors.Where(e => e.Severity == FluentValidation.Severity.Error).ToList();
        confirmErrors = errors.Where(e => e.PropertyName == nameof(ConsentSettingsInput.ConfirmShortRefusal)).Select(e => e.ErrorMessage).ToList();
        if (errors.Count > 0) return;

        busy = true;
        try
        {
            await Settings.SaveAsync(input, await Auth.ActorAsync());
            current = await Settings.GetAsync();
            saved = true;
        }
        finally
        {
            busy = false;
        }
    }
}
