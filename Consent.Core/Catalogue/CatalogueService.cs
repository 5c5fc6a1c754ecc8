using Consent.Core.Audit;
using Consent.Core.ConsentMode;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Catalogue;

/// <summary>A category as visitors see it: its purpose and the cookies it covers.</summary>
public sealed record CategoryView(string Key, string Name, string Description, bool IsRequired, IReadOnlyList<CookieView> Cookies,
    IReadOnlyList<string> GoogleConsentTypes);

/// <summary>A row of the cookie policy's table.</summary>
public sealed record CookieView(int Id, string Supplier, string Name, string Duration, string Function);

/// <summary>A cookie as the privacy team's grid lists it; <see cref="IsCenterOwn"/> ones are read-only.</summary>
public sealed record CookieRow(int Id, string Supplier, string Name, string CategoryKey, string CategoryName, string Duration, string Function, bool IsCenterOwn);

/// <summary>A category as the privacy team's grid lists it, with how many cookies it holds.</summary>
public sealed record CategoryRow(int Id, string Key, string Name, string Description, bool IsRequired, int Order, int CookieCount,
    IReadOnlyList<string> GoogleConsentTypes);

/// <summary>A supplier as the privacy team's grid lists it; <see cref="IsCenter"/> is the center itself and is read-only.</summary>
public sealed record SupplierRow(int Id, string Name, int CookieCount, bool IsCenter);

/// <summary>
/// Reads and changes the cookie catalogue. Every change is validated first, refused whole when a rule
/// forbids it (<see cref="CatalogueRuleException"/>), and written together with its audit entry.
/// </summary>
public sealed class CatalogueService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<CookieInput> cookieValidator,
    IValidator<CategoryInput> categoryValidator,
    IValidator<SupplierInput> supplierValidator,
    ChangeFeed changes,
    TimeProvider time)
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
                    .ToList(),
                OrderedTypes(c.GoogleConsentTypes)))
            .ToList();
    }

    /// <summary>Every cookie of the catalogue, by supplier and name.</summary>
    public async Task<IReadOnlyList<CookieRow>> ListCookiesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cookies = await db.Cookies.AsNoTracking().Include(k => k.Supplier).Include(k => k.Category).ToListAsync(ct);
        return cookies
            .OrderBy(k => k.Supplier.Name, StringComparer.OrdinalIgnoreCase).ThenBy(k => k.Name, StringComparer.OrdinalIgnoreCase)
            .Select(k => new CookieRow(k.Id, k.Supplier.Name, k.Name, k.Category.Key, k.Category.Name, k.Duration.ToString(), k.Function,
                k.Supplier.Name == CenterCookies.Supplier))
            .ToList();
    }

    /// <summary>Every category, in the order visitors see them.</summary>
    public async Task<IReadOnlyList<CategoryRow>> ListCategoriesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Categories.AsNoTracking()
            .OrderBy(c => c.Order).ThenBy(c => c.Name)
            .Select(c => new { c.Id, c.Key, c.Name, c.Description, c.IsRequired, c.Order, CookieCount = c.Cookies.Count, c.GoogleConsentTypes })
            .ToListAsync(ct);
        return rows.Select(c => new CategoryRow(c.Id, c.Key, c.Name, c.Description, c.IsRequired, c.Order, c.CookieCount,
            OrderedTypes(c.GoogleConsentTypes))).ToList();
    }

    /// <summary>Every supplier, by name.</summary>
    public async Task<IReadOnlyList<SupplierRow>> ListSuppliersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var suppliers = await db.Suppliers.AsNoTracking()
            .Select(s => new SupplierRow(s.Id, s.Name, s.Cookies.Count, s.Name == CenterCookies.Supplier))
            .ToListAsync(ct);
        return suppliers.OrderBy(s => s.Name, StringComparer.OrdinalIgnoreCase).ToList();
    }

    public async Task<int> AddCookieAsync(CookieInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        input.Id = null;
        await cookieValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = await db.Categories.SingleAsync(c => c.Key == input.CategoryKey, ct);
        var supplier = await FindOrAddSupplierAsync(db, input.SupplierName!, ct);
        var cookie = new CookieDefinition
        {
            Name = input.Name!.Trim(),
            Duration = CookieDuration.Parse(input.Duration)!,
            Function = input.Function!.Trim(),
            Category = category,
            Supplier = supplier,
        };
        db.Cookies.Add(cookie);
        var supplierIsNew = db.Entry(supplier).State == EntityState.Added;
        await SaveWithAuditAsync(db, newRows: true, ct, () =>
        {
            if (supplierIsNew) Record(db, actor, "supplier.create", "Supplier", supplier.Id, null, Snapshot(supplier));
            Record(db, actor, "cookie.create", "Cookie", cookie.Id, null, Snapshot(cookie));
        });
        return cookie.Id;
    }

    public async Task UpdateCookieAsync(int id, CookieInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        input.Id = id;
        await cookieValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cookie = await LoadCookieAsync(db, id, ct);
        var before = Snapshot(cookie);
        cookie.Name = input.Name!.Trim();
        cookie.Duration = CookieDuration.Parse(input.Duration)!;
        cookie.Function = input.Function!.Trim();
        cookie.Category = await db.Categories.SingleAsync(c => c.Key == input.CategoryKey, ct);
        cookie.Supplier = await FindOrAddSupplierAsync(db, input.SupplierName!, ct);
        var supplierIsNew = db.Entry(cookie.Supplier).State == EntityState.Added;
        await SaveWithAuditAsync(db, newRows: supplierIsNew, ct, () =>
        {
            if (supplierIsNew) Record(db, actor, "supplier.create", "Supplier", cookie.Supplier.Id, null, Snapshot(cookie.Supplier));
            Record(db, actor, "cookie.update", "Cookie", id, before, Snapshot(cookie));
        });
    }

    /// <summary>Removes a cookie from the catalogue (and so from the cookie policy). The center's own cookies stay.</summary>
    public async Task DeleteCookieAsync(int id, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var cookie = await LoadCookieAsync(db, id, ct);
        if (cookie.Supplier.Name == CenterCookies.Supplier)
        {
            throw new CatalogueRuleException(
                $"“{cookie.Name}” is one of the center's own cookies; the center declares it itself, so it cannot be deleted.");
        }
        Record(db, actor, "cookie.delete", "Cookie", id, Snapshot(cookie), null);
        db.Cookies.Remove(cookie);
        await SaveAndAnnounceAsync(db, ct);
    }

    public async Task<int> AddCategoryAsync(CategoryInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
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
            GoogleConsentTypes = [.. OrderedTypes(input.GoogleConsentTypes ?? [])],
        };
        db.Categories.Add(category);
        await SaveWithAuditAsync(db, newRows: true, ct, () => Record(db, actor, "category.create", "Category", category.Id, null, Snapshot(category)));
        return category.Id;
    }

    /// <summary>
    /// Changes a category's name, description, order, whether it is always on and (when given) its Google consent
    /// types. Its key never changes.
    /// </summary>
    public async Task UpdateCategoryAsync(int id, CategoryInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        input.Id = id;
        await categoryValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = await db.Categories.SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no category with id {id} in the catalogue.");
        var before = Snapshot(category);
        category.Name = input.Name!.Trim();
        category.Description = input.Description!.Trim();
        category.IsRequired = input.IsRequired;
        category.Order = input.Order;
        if (input.GoogleConsentTypes is { } types) category.GoogleConsentTypes = [.. OrderedTypes(types)];
        Record(db, actor, "category.update", "Category", id, before, Snapshot(category));
        await SaveAndAnnounceAsync(db, ct);
    }

    /// <summary>
    /// Deletes a category. A required one is refused. One that still has cookies is refused unless
    /// <paramref name="moveCookiesToKey"/> names another category: its cookies are then moved there
    /// (each move audited) and the category deleted, all in one save.
    /// </summary>
    public async Task DeleteCategoryAsync(int id, string? moveCookiesToKey, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var category = await db.Categories.Include(c => c.Cookies).ThenInclude(k => k.Supplier).SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no category with id {id} in the catalogue.");
        if (category.IsRequired)
        {
            throw new CatalogueRuleException($"“{category.Name}” is always on (required), so it cannot be deleted.");
        }
        if (category.Cookies.Count > 0)
        {
            if (string.IsNullOrWhiteSpace(moveCookiesToKey))
            {
                throw new CatalogueRuleException(
                    $"“{category.Name}” still has {CookieCount(category.Cookies.Count)}. Choose a category to move them to, or move or delete them first.");
            }
            var target = await db.Categories.SingleOrDefaultAsync(c => c.Key == moveCookiesToKey && c.Id != id, ct)
                ?? throw new CatalogueRuleException($"There is no other category “{moveCookiesToKey}” to move the cookies to; choose one of the catalogue's categories.");
            foreach (var cookie in category.Cookies.ToList())
            {
                var before = Snapshot(cookie);
                cookie.Category = target;
                Record(db, actor, "cookie.move", "Cookie", cookie.Id, before, Snapshot(cookie));
            }
        }
        Record(db, actor, "category.delete", "Category", id, Snapshot(category), null);
        db.Categories.Remove(category);
        await SaveAndAnnounceAsync(db, ct);
    }

    /// <summary>Renames a supplier everywhere the cookie policy names it. The center itself keeps its name.</summary>
    public async Task RenameSupplierAsync(int id, SupplierInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        input.Id = id;
        await supplierValidator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no supplier with id {id} in the catalogue.");
        var before = Snapshot(supplier);
        supplier.Name = input.Name!.Trim();
        Record(db, actor, "supplier.rename", "Supplier", id, before, Snapshot(supplier));
        await SaveAndAnnounceAsync(db, ct);
    }

    /// <summary>Deletes a supplier that no longer has cookies (a supplier is left behind when its last cookie goes).</summary>
    public async Task DeleteSupplierAsync(int id, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var supplier = await db.Suppliers.SingleOrDefaultAsync(s => s.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no supplier with id {id} in the catalogue.");
        if (supplier.Name == CenterCookies.Supplier)
        {
            throw new CatalogueRuleException("This supplier is the center itself and sets the center's own cookies; it cannot be deleted.");
        }
        var cookies = await db.Cookies.CountAsync(k => k.SupplierId == id, ct);
        if (cookies > 0)
        {
            throw new CatalogueRuleException(
                $"“{supplier.Name}” still has {CookieCount(cookies)} in the catalogue. Delete them or give them another supplier first.");
        }
        Record(db, actor, "supplier.delete", "Supplier", id, Snapshot(supplier), null);
        db.Suppliers.Remove(supplier);
        await SaveAndAnnounceAsync(db, ct);
    }

    /// <summary>Google consent types in Google's own order, each once: how they are stored and shown.</summary>
    private static List<string> OrderedTypes(IEnumerable<string> types) => GoogleConsentTypes.All.Where(types.Contains).ToList();

    private static string CookieCount(int count) => count == 1 ? "1 cookie" : $"{count} cookies";

    private static async Task<CookieDefinition> LoadCookieAsync(ConsentDbContext db, int id, CancellationToken ct) =>
        await db.Cookies.Include(k => k.Supplier).Include(k => k.Category).SingleOrDefaultAsync(c => c.Id == id, ct)
            ?? throw new KeyNotFoundException($"There is no cookie with id {id} in the catalogue.");

    private static async Task<Supplier> FindOrAddSupplierAsync(ConsentDbContext db, string name, CancellationToken ct)
    {
        var trimmed = name.Trim();
        var lower = trimmed.ToLower();
        return await db.Suppliers.FirstOrDefaultAsync(s => s.Name.ToLower() == lower, ct)
            ?? db.Suppliers.Add(new Supplier { Name = trimmed }).Entity;
    }

    /// <summary>
    /// Saves a change with its audit entries. Normally in one SaveChanges; when the change inserts rows
    /// (<paramref name="newRows"/>), the entries name them by id, which the database assigns only on insert,
    /// so the change is saved first and the entries right after, in one transaction: both are stored or neither.
    /// </summary>
    private async Task SaveWithAuditAsync(ConsentDbContext db, bool newRows, CancellationToken ct, Action recordAudit)
    {
        if (!newRows)
        {
            recordAudit();
            await SaveAndAnnounceAsync(db, ct);
            return;
        }
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            await db.SaveChangesAsync(ct);
            recordAudit();
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        await changes.AnnounceAsync(ChangeTopic.Catalogue);
    }

    /// <summary>Saves, then tells every instance that the catalogue changed (the Consent Mode mapping lives in it too).</summary>
    private async Task SaveAndAnnounceAsync(ConsentDbContext db, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        await changes.AnnounceAsync(ChangeTopic.Catalogue);
    }

    private void Record(ConsentDbContext db, string actor, string action, string entityType, int id, object? before, object? after) =>
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor, action, entityType, id.ToString(System.Globalization.CultureInfo.InvariantCulture), before, after);

    // What the audit trail keeps of each entity: what a privacy-team member reads and compares.
    private sealed record CookieSnapshot(int Id, string Supplier, string Name, string Category, string Duration, string Function);

    private sealed record CategorySnapshot(int Id, string Key, string Name, string Description, bool IsRequired, int Order,
        IReadOnlyList<string> GoogleConsentTypes);

    private sealed record SupplierSnapshot(int Id, string Name);

    private static CookieSnapshot Snapshot(CookieDefinition c) => new(c.Id, c.Supplier.Name, c.Name, c.Category.Key, c.Duration.Text, c.Function);

    private static CategorySnapshot Snapshot(Category c) => new(c.Id, c.Key, c.Name, c.Description, c.IsRequired, c.Order, [.. c.GoogleConsentTypes]);

    private static SupplierSnapshot Snapshot(Supplier s) => new(s.Id, s.Name);
}
