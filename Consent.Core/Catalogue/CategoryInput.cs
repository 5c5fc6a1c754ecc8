using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>What the privacy team types to add or change a category.</summary>
public sealed class CategoryInput
{
    public int? Id { get; set; }
    public string? Key { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public bool IsRequired { get; set; }
    public int Order { get; set; }
}

public sealed class CategoryInputValidator : AbstractValidator<CategoryInput>
{
    public const int MaxKey = 40;
    public const int MaxName = 80;
    public const int MaxDescription = 1000;

    public CategoryInputValidator(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        RuleFor(c => c.Key)
            .Must(k => !string.IsNullOrWhiteSpace(k)).WithMessage("Enter a short key for the category, for example \"analytics\".")
            .MaximumLength(MaxKey).WithMessage($"The key can have at most {MaxKey} characters.")
            .Matches("^[a-z][a-z0-9-]*$").WithMessage("The key may use lower-case letters, digits and hyphens, and starts with a letter (it appears in the consent cookie and the API).")
            .MustAsync(async (input, key, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Categories.AnyAsync(c => c.Key == key && c.Id != input.Id, ct);
            })
            .WithMessage(c => $"Another category already has the key \"{c.Key}\".");

        RuleFor(c => c.Name)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Enter the category's name as visitors will read it.")
            .MaximumLength(MaxName).WithMessage($"The category's name can have at most {MaxName} characters.");

        RuleFor(c => c.Description)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Describe the purpose of the category; visitors read this before they choose.")
            .MaximumLength(MaxDescription).WithMessage($"The description can have at most {MaxDescription} characters.");

        RuleFor(c => c.Order)
            .InclusiveBetween(0, 1000).WithMessage("The order must be a number from 0 to 1000.");
    }
}
