using System.Globalization;
using Consent.Core.Catalogue;
using Consent.Core.Policies;
using FluentValidation;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace Consent.App.Components.Admin;

/// <summary>
/// The list of policy versions and the form that publishes a new one. Publishing is a second,
/// explicit step: it makes every visitor who chose before see the banner again.
/// </summary>
public partial class PoliciesPage
{
    [Inject] private PolicyService Policies { get; set; } = default!;
    [Inject] private CatalogueService Catalogue { get; set; } = default!;
    [Inject] private IValidator<PolicyPublication> Validator { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState>? Auth { get; set; }

    private MudForm form = default!;
    private PolicyPublication input = new();
    private IReadOnlyList<CategoryView> categories = [];
    private IReadOnlyList<PolicyVersionSummary> versions = [];
    private IReadOnlyList<string> categoryErrors = [];
    private bool confirming;
    private bool busy;
    private int nextNumber;
    private int? published;
    private string? problem;

    protected override async Task OnInitializedAsync()
    {
        categories = await Catalogue.GetCategoriesAsync();
        await LoadVersionsAsync();
    }

    private async Task LoadVersionsAsync()
    {
        versions = await Policies.ListAsync();
        nextNumber = versions.Count == 0 ? 1 : versions[0].Number + 1;
    }

    /// <summary>Field-level messages from the same validator the service applies.</summary>
    private Func<object, string, Task<IEnumerable<string>>> ValidateField => ValidateFieldAsync;

    private async Task<IEnumerable<string>> ValidateFieldAsync(object model, string propertyName)
    {
        var result = await Validator.ValidateAsync(ValidationContext<PolicyPublication>.CreateWithOptions(
            (PolicyPublication)model, o => o.IncludeProperties(propertyName)));
        return result.Errors.Select(e => e.ErrorMessage);
    }

    private void ToggleCategory(string key, bool on)
    {
        input.ChangedCategories.Remove(key);
        if (on) input.ChangedCategories.Add(key);
        confirming = false;
    }

    /// <summary>First step: check the input; only valid input reaches the confirmation.</summary>
    private async Task ReviewAsync()
    {
        published = null;
        problem = null;
        await form.ValidateAsync();
        var result = await Validator.ValidateAsync(input);
        categoryErrors = result.Errors
            .Where(e => e.PropertyName.StartsWith(nameof(PolicyPublication.ChangedCategories), StringComparison.Ordinal))
            .Select(e => e.ErrorMessage).Distinct().ToList();
        confirming = result.IsValid;
    }

    private async Task PublishAsync()
    {
        busy = true;
        try
        {
            var version = await Policies.PublishAsync(input, await Auth.ActorAsync());
            published = version.Number;
            input = new PolicyPublication();
            confirming = false;
        }
        catch (ValidationException ex)
        {
            // The catalogue changed since the form was filled in (a category was removed): say what is wrong.
            problem = string.Join(" ", ex.Errors.Select(e => e.ErrorMessage).Distinct());
            confirming = false;
        }
        catch (PolicyPublishConflictException ex)
        {
            problem = ex.Message;
            confirming = false;
        }
        finally
        {
            busy = false;
        }
        await LoadVersionsAsync();
    }
}
