using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Forms;

namespace Consent.App.Components.Members;

/// <summary>
/// Checks a static form's model with its FluentValidation validator from Consent.Core when the form is posted, so each field
/// shows under it the very message the service would refuse the input with; <see cref="Show"/> adds the service's own refusals
/// (a username taken, a wrong current password). The interactive center's MudForm counterpart is <c>Admin/FieldValidation</c>.
/// </summary>
public sealed class FormValidator : ComponentBase, IDisposable
{
    [CascadingParameter]
    private EditContext? EditContext { get; set; }

    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    private EditContext? bound;
    private ValidationMessageStore? messages;

    protected override void OnParametersSet()
    {
        if (EditContext == bound) return;
        if (bound is not null) bound.OnValidationRequested -= Validate;
        bound = EditContext ?? throw new InvalidOperationException("A FormValidator belongs inside an EditForm.");
        messages = new ValidationMessageStore(bound);
        bound.OnValidationRequested += Validate;
    }

    /// <summary>Shows the service's refusal under the fields it names.</summary>
    public void Show(ValidationException refusal) => Show(refusal.Errors);

    private void Show(IEnumerable<ValidationFailure> failures)
    {
        foreach (var failure in failures) messages!.Add(bound!.Field(failure.PropertyName), failure.ErrorMessage);
        bound!.NotifyValidationStateChanged();
    }

    private void Validate(object? sender, ValidationRequestedEventArgs e)
    {
        messages!.Clear();
        var model = bound!.Model;
        var validator = (IValidator)Services.GetRequiredService(typeof(IValidator<>).MakeGenericType(model.GetType()));
        Show(validator.Validate(new ValidationContext<object>(model)).Errors);
    }

    public void Dispose()
    {
        if (bound is not null) bound.OnValidationRequested -= Validate;
    }
}
