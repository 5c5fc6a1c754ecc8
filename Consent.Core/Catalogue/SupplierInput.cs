using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>What the privacy team types to rename a supplier. Suppliers are created with their first cookie.</summary>
public sealed class SupplierInput
{
    /// <summary>The supplier being renamed.</summary>
    public int? Id { get; set; }
    public string? Name { get; set; }
}

public sealed class SupplierInputValidator : AbstractValidator<SupplierInput>
{
    public SupplierInputValidator(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        RuleFor(s => s.Name)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Enter the supplier's name, for example \"Gainsight\".")
            .MaximumLength(CookieInputValidator.MaxSupplierName).WithMessage($"The supplier's name can have at most {CookieInputValidator.MaxSupplierName} characters.")
            .Must(s => !string.Equals(s?.Trim(), CenterCookies.Supplier, StringComparison.OrdinalIgnoreCase))
            .WithMessage("This name is reserved for the center's own cookies; choose another name.")
            // Case-insensitive, as when a cookie names its supplier: "gainsight" and "Gainsight" are one supplier.
            .MustAsync(async (input, name, ct) =>
            {
                var lower = name!.Trim().ToLower();
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Suppliers.AnyAsync(s => s.Id != input.Id && s.Name.ToLower() == lower, ct);
            })
            .When(s => !string.IsNullOrWhiteSpace(s.Name), ApplyConditionTo.CurrentValidator)
            .WithMessage(s => $"Another supplier is already named \"{s.Name!.Trim()}\".");

        RuleFor(s => s.Id)
            .MustAsync(async (id, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Suppliers.AnyAsync(s => s.Id == id && s.Name == CenterCookies.Supplier, ct);
            })
            .When(s => s.Id is not null)
            .WithMessage("This supplier is the center itself; its name is fixed so that the cookie policy always says who sets the center's own cookies.");
    }
}
