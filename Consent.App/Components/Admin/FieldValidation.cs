using FluentValidation;

namespace Consent.App.Components.Admin;

/// <summary>
/// Lets a MudForm check each field with Consent.Core's FluentValidation validator, so a form shows the very
/// messages the service would refuse the input with, under the field they concern.
/// </summary>
public static class FieldValidation
{
    /// <summary>For <c>MudForm.Validation</c>: validates only the field MudForm asks about (its <c>For</c> path).</summary>
    public static Func<object, string, Task<IEnumerable<string>>> For<T>(IValidator<T> validator) => async (model, property) =>
    {
        var result = await validator.ValidateAsync(ValidationContext<T>.CreateWithOptions((T)model, o => o.IncludeProperties(property)));
        return result.Errors.Where(e => e.PropertyName == property).Select(e => e.ErrorMessage).ToList();
    };

    /// <summary>
    /// The messages of a save the service refused although the form had checked each field (the catalogue
    /// changed meanwhile, or a rule spans fields): shown together in an alert above the form's buttons.
    /// </summary>
    public static IReadOnlyList<string> Messages(ValidationException error) =>
        error.Errors.Select(e => e.ErrorMessage).Distinct().ToList();
}
