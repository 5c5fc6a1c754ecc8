using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>A category as visitors see it: its purpose and the cookies it covers.</summary>
public sealed record CategoryView(string Key, string Name, string Description, bool IsRequired, IReadOnlyList<CookieView> Cookies);

/// <summary>A row of the cookie policy's table.</summary>
public sealed record CookieView(int Id, string Supplier, string Name, string Duration, string Function);

/// <summary>Reads and changes the cookie catalogue; every change is validated first.</summary>
public sealed class CatalogueService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<CookieInput> cookieValidator,
    IValidator<CategoryInput> categoryValidator)
{
    public async Task<IReadOnlyList<CategoryView>> GetCategoriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var categories = await db.Categories.AsNoTracking()
            .Include(c => c.Cookies).ThenInclude(k => k.Supplier)
            .OrderBy(c => c.Order).ThenBy(c => c.Name)
            .ToListAsync(ct);
        return categories.Select(c => new CategoryView(
                c.Key, c.Name, c.Description, c.IsRequired,
                c.Cookies.OrderBy(k => k.Supplier.Name).ThenBy(k => k.Name)
                    .Select(k => new CookieView(k.Id, k.Supplier.Name, k.Name, k.Duration.ToString(), k.Function))
                    .ToList()))
            .ToList();
    }

    public async Task<int> AddCookieAsync(CookieInput input, CancellationToken ct = default)
    {
        input.Id = null;
        await cookieValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cookie = new CookieDefinition
        {
            Name = input.Name!.Trim(),
            Duration = CookieDuration.Parse(input.Duration)!,
            Function = input.Function!.Trim(),
            CategoryId = await db.Categories.Where(c => c.Key == input.CategoryKey).Select(c => c.Id).SingleAsync(ct),
            Supplier = await FindOrAddSupplierAsync(db, input.SupplierName!, ct),
        };
        db.Cookies.Add(cookie);
        await db.SaveChangesAsync(ct);
        return cookie.Id;
    }

    public async Task UpdateCookieAsync(int id, CookieInput input, CancellationToken ct = default)
    {
        input.Id = id;
        await cookieValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cookie = await db.Cookies.SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no cookie with id {id} in the catalogue.");
        cookie.Name = input.Name!.Trim();
        cookie.Duration = CookieDuration.Parse(input.Duration)!;
        cookie.Function = input.Function!.Trim();
        cookie.CategoryId = await db.Categories.Where(c => c.Key == input.CategoryKey).Select(c => c.Id).SingleAsync(ct);
        cookie.Supplier = await FindOrAddSupplierAsync(db, input.SupplierName!, ct);
        await db.SaveChangesAsync(ct);
    }

    public async Task<int> AddCategoryAsync(CategoryInput input, CancellationToken ct = default)
    {
        input.Id = null;
        await categoryValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = new Category
        {
            Key = input.Key!,
            Name = input.Name!.Trim(),
            Description = input.Description!.Trim(),
            IsRequired = input.IsRequired,
            Order = input.Order,
        };
        db.Categories.Add(category);
        await db.SaveChangesAsync(ct);
        return category.Id;
    }

    private static async Task<Supplier> FindOrAddSupplierAsync(ConsentDbContext db, string name, CancellationToken ct)
    {
        var trimmed = name.Trim();
        var lower = trimmed.ToLower();
        return await db.Suppliers.FirstOrDefaultAsync(s => s.Name.ToLower() == lower, ct)
            ?? db.Suppliers.Add(new Supplier { Name = trimmed }).Entity;
    }
}
