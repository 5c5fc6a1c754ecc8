using System.Text.Json;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

/// <summary>
/// The catalogue as visitors saw it when a policy version was published: every category with its
/// texts and every cookie with its supplier, duration and function. Kept as JSON in the version's row,
/// so a later edit of the catalogue never changes what an older record answered.
/// </summary>
public sealed record PolicySnapshot(int Format, IReadOnlyList<SnapshotCategory> Categories)
{
    /// <summary>Raised if the shape ever changes, so that older snapshots can still be read.</summary>
    public const int CurrentFormat = 1;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PolicySnapshot FromJson(string json) =>
        JsonSerializer.Deserialize<PolicySnapshot>(json, Json)
            ?? throw new InvalidOperationException("A policy version's snapshot is empty.");

    /// <summary>The categories as the public cookie policy's tables take them.</summary>
    public IReadOnlyList<CategoryView> ToCategoryViews() =>
        Categories.Select(c => new CategoryView(c.Key, c.Name, c.Description, c.IsRequired,
                c.Cookies.Select(k => new CookieView(0, k.Supplier, k.Name, k.Duration, k.Function)).ToList(),
                // The policy pages show no Google mapping; a version's snapshot does not keep it.
                []))
            .ToList();

    /// <summary>The category's name as this snapshot shows it, or its key if it was not in the catalogue then.</summary>
    public string NameOf(string categoryKey) => Categories.FirstOrDefault(c => c.Key == categoryKey)?.Name ?? categoryKey;

    /// <summary>Reads the live catalogue in the order the cookie policy shows it.</summary>
    public static async Task<PolicySnapshot> CaptureAsync(ConsentDbContext db, CancellationToken ct)
    {
        var categories = await db.Categories.AsNoTracking()
            .Include(c => c.Cookies).ThenInclude(k => k.Supplier)
            .OrderBy(c => c.Order).ThenBy(c => c.Name)
            .ToListAsync(ct);
        return new PolicySnapshot(CurrentFormat, categories.Select(c => new SnapshotCategory(
                c.Key, c.Name, c.Description, c.IsRequired, c.Order,
                c.Cookies.OrderBy(k => k.Supplier.Name).ThenBy(k => k.Name)
                    .Select(k => new SnapshotCookie(k.Supplier.Name, k.Name, k.Duration.Text, k.Function))
                    .ToList()))
            .ToList());
    }
}

/// <summary>A category in a <see cref="PolicySnapshot"/>.</summary>
public sealed record SnapshotCategory(string Key, string Name, string Description, bool IsRequired, int Order, IReadOnlyList<SnapshotCookie> Cookies);

/// <summary>A cookie in a <see cref="PolicySnapshot"/>: its duration as the policy showed it ("5 years").</summary>
public sealed record SnapshotCookie(string Supplier, string Name, string Duration, string Function);
