using Consent.Core.ConsentMode;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>What the privacy team types to add or change a category.</summary>
public sealed class CategoryInput
{
    /// <summary>The category being edited, or null for a new one.</summary>
    public int? Id { get; set; }

    /// <summary>Chosen once, when the category is created: consent records and visitors' cookies name categories by key.</summary>
    public string? Key { get; set; }
    public string? Name { get; set; }
    public string? Description { get; set; }
    public bool IsRequired { get; set; }
    public int Order { get; set; }

    /// <summary>
    /// The Google Consent Mode types a grant of this category grants (names from <see cref="ConsentMode.GoogleConsentTypes.All"/>).
    /// Null leaves a category's mapping as it is (and gives a new one none), so a caller that does not deal with
    /// Google Consent Mode never clears it by accident.
    /// </summary>
    public List<string>? GoogleConsentTypes { get; set; }

    /// <summary>The form of an existing category, filled with what it holds now: the starting point of an edit.</summary>
    public static CategoryInput From(CategoryRow row) => new()
    {
        Id = row.Id,
        Key = row.Key,
        Name = row.Name,
        Description = row.Description,
        IsRequired = row.IsRequired,
        Order = row.Order,
        GoogleConsentTypes = [.. row.GoogleConsentTypes],
    };
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

        // A key is what consent records and visitors' cookies remember; renaming it would silently
        // detach every decision already given from the category it was given for.
        RuleFor(c => c.Key)
            .MustAsync(async (input, key, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var stored = await db.Categories.Where(c => c.Id == input.Id).Select(c => c.Key).SingleOrDefaultAsync(ct);
                return stored is null || stored == key;
            })
            .When(c => c.Id is not null)
            .WithMessage("The key cannot change once the category exists: visitors' consent cookies and consent records refer to it.");

        RuleFor(c => c.Name)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Enter the category's name as visitors will read it.")
            .MaximumLength(MaxName).WithMessage($"The category's name can have at most {MaxName} characters.");

        RuleFor(c => c.Description)
            .Must(s => !string.IsNullOrWhiteSpace(s)).WithMessage("Describe the purpose of the category; visitors read this before they choose.")
            .MaximumLength(MaxDescription).WithMessage($"The description can have at most {MaxDescription} characters.");

        RuleFor(c => c.Order)
            .InclusiveBetween(0, 1000).WithMessage("The order must be a number from 0 to 1000.");

        // Google's tags know exactly these seven names; any other would be silently ignored by them.
        RuleFor(c => c.GoogleConsentTypes)
            .Must(types => types is null || types.Distinct(StringComparer.Ordinal).Count() == types.Count)
                .WithMessage("Name each Google consent type once.");
        RuleForEach(c => c.GoogleConsentTypes)
            .Must(GoogleConsentTypes.IsKnown)
            .WithMessage((_, type) => $"“{type}” is not a Google consent type; the types are {string.Join(", ", GoogleConsentTypes.All)}.");

        // The center's own cookies (the consent cookie among them) are strictly necessary: the category
        // that holds them is always on, or a visitor would have to consent to the record of their refusal.
        RuleFor(c => c.IsRequired)
            .MustAsync(async (input, _, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return !await db.Cookies.AnyAsync(k => k.CategoryId == input.Id && k.Supplier.Name == CenterCookies.Supplier, ct);
            })
            .When(c => c.Id is not null && !c.IsRequired)
            .WithMessage("This category holds the center's own cookies, which are strictly necessary; it must stay always on.");

        // Decisions store a required category as granted. Making it optional would turn every earlier
        // visitor's "always on" into a consent nobody gave; making an optional one required would override refusals.
        RuleFor(c => c.IsRequired)
            .MustAsync(async (input, required, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                var stored = await db.Categories.Where(c => c.Id == input.Id).Select(c => (bool?)c.IsRequired).SingleOrDefaultAsync(ct);
                return stored is null || stored == required;
            })
            .When(c => c.Id is not null)
            .WithMessage("Whether a category is always on cannot change once it exists: earlier choices would then count as consents or refusals nobody gave. Create a new category, move the cookies to it and publish a new policy version.");
    }
}
