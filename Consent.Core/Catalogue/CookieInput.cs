using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>What the privacy team types to add or change a cookie of the catalogue.</summary>
public sealed class CookieInput
{
    /// <summary>The cookie being edited, or null for a new one.</summary>
    public int? Id { get; set; }
    public string? SupplierName { get; set; }
    public string? Name { get; set; }
    public string? CategoryKey { get; set; }

    /// <summary>As the cookie policy shows it: "30 minutes", "5 years", "Session" or "Persistent".</summary>
    public string? Duration { get; set; }

    public string? Function { get; set; }

    /// <summary>The form of an existing cookie, filled with what it holds now: the starting point of an edit.</summary>
    public static CookieInput From(CookieRow row) => new()
    {
        Id = row.Id,
        SupplierName = row.Supplier,
        Name = row.Name,
        CategoryKey = row.CategoryKey,
        Duration = row.Duration,
        Function = row.Function,
    };
}

public sealed class CookieInputValidator : AbstractValidator<CookieInput>
{
    public const int MaxSupplierName = 100;
    public const int MaxCookieName = 200;
    public const int MaxFunction = 2000;

    public CookieInputValidator(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        RuleFor(c => c.SupplierName)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Enter the supplier's name, for example \"Gainsight\".")
            .MaximumLength(MaxSupplierName).WithMessage($"The supplier's name can have at most {MaxSupplierName} characters.");

        RuleFor(c => c.Name)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Enter the cookie's name as the browser shows it, for example \"_gid\".")
            .MaximumLength(MaxCookieName).WithMessage($"The cookie's name can have at most {MaxCookieName} characters.");

        RuleFor(c => c.Function)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Describe what the cookie is used for; visitors read this in the cookie policy.")
            .MaximumLength(MaxFunction).WithMessage($"The function can have at most {MaxFunction} characters.");

        RuleFor(c => c.CategoryKey)
            .Must(k => !string.IsNullOrWhiteSpace(k)).WithMessage("Choose the category the cookie belongs to.")
            .MustAsync(async (key, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return await db.Categories.AnyAsync(c => c.Key == key, ct);
            })
            .When(c => !string.IsNullOrWhiteSpace(c.CategoryKey), ApplyConditionTo.CurrentValidator)
            .WithMessage(c => $"There is no category \"{c.CategoryKey}\"; choose one of the catalogue's categories.");

        RuleFor(c => c.Duration)
            .Must(d => CookieDuration.Parse(d) is not null)
            .WithMessage($"Write the duration as a whole number from 1 to {CookieDuration.MaxAmount} and a unit (\"30 minutes\", \"24 hours\", \"5 years\"), or \"Session\" or \"Persistent\".");

        RuleFor(c => c.SupplierName)
            .Must(s => !string.Equals(s?.Trim(), CenterCookies.Supplier, StringComparison.OrdinalIgnoreCase))
            .WithMessage("The center declares its own cookies itself; choose another supplier name.");

        RuleFor(c => c.Id)
            .MustAsync(async (id, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Cookies.AnyAsync(c => c.Id == id && c.Supplier.Name == CenterCookies.Supplier, ct);
            })
            .When(c => c.Id is not null)
            .WithMessage("This is one of the center's own cookies; it is declared by the center itself and cannot be edited.");

        RuleFor(c => c)
            .MustAsync(async (input, ct) =>
            {
                var supplier = input.SupplierName!.Trim().ToLower();
                var name = input.Name!.Trim().ToLower();
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Cookies.AnyAsync(
                    c => c.Id != input.Id && c.Supplier.Name.ToLower() == supplier && c.Name.ToLower() == name, ct);
            })
            .When(c => !string.IsNullOrWhiteSpace(c.SupplierName) && !string.IsNullOrWhiteSpace(c.Name))
            .WithName(nameof(CookieInput.Name))
            .OverridePropertyName(nameof(CookieInput.Name))
            .WithMessage(c => $"{c.SupplierName!.Trim()} already has a cookie named \"{c.Name!.Trim()}\" in the catalogue.");
    }
}
