using System.Text.Json;
using FluentValidation;
using FluentValidation.Results;

namespace Consent.App.Endpoints;

/// <summary>Validation failures from Consent.Core as the <c>errors</c> of a problem+json answer.</summary>
public static class FieldErrors
{
    /// <summary>
    /// The messages keyed by the name the caller used for each field: <paramref name="fieldOf"/>, or by default the
    /// property's JSON (camelCase) name, as forms and JSON bodies name them.
    /// </summary>
    public static Dictionary<string, string[]> ByField(this ValidationException ex, Func<ValidationFailure, string>? fieldOf = null) =>
        ex.Errors.ByField(fieldOf);

    /// <summary>The same for the failures of a validation that was asked rather than thrown.</summary>
    public static Dictionary<string, string[]> ByField(this IEnumerable<ValidationFailure> failures, Func<ValidationFailure, string>? fieldOf = null) =>
        failures.GroupBy(fieldOf ?? (e => JsonNamingPolicy.CamelCase.ConvertName(e.PropertyName)))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).ToArray());
}
