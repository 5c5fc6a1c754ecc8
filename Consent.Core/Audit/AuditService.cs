using System.Text.Json;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Audit;

/// <summary>Which page of the audit trail to read, optionally only one kind of entity or one person's changes.</summary>
public sealed record AuditQuery(int Page = 0, int PageSize = 25, string? EntityType = null, string? Actor = null);

/// <summary>One field that a change touched, with its value before and after (null where it did not exist).</summary>
public sealed record AuditChange(string Field, string? Before, string? After);

/// <summary>
/// An audit entry as the audit page shows it: the raw snapshots, the fields that differ between them, and
/// <see cref="Subject"/>, what a reader calls the thing (its name or key from the snapshot), since an id alone says little.
/// </summary>
public sealed record AuditEntryView(
    long Id, DateTime At, string Actor, string Action, string EntityType, string EntityKey,
    string? Before, string? After, IReadOnlyList<AuditChange> Changes, string? Subject);

/// <summary>A page of entries, newest first, and how many entries match in all.</summary>
public sealed record AuditEntryPage(IReadOnlyList<AuditEntryView> Entries, int TotalCount);

/// <summary>Reads the audit trail for the privacy team. Entries are written by the services that make the changes (<see cref="AuditTrail"/>).</summary>
public sealed class AuditService(IDbContextFactory<ConsentDbContext> dbFactory)
{
    public const int MaxPageSize = 200;

    public async Task<AuditEntryPage> GetPageAsync(AuditQuery query, CancellationToken ct = default)
    {
        var size = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(query.Page, 0);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = db.AuditEntries.AsNoTracking();
        if (!string.IsNullOrEmpty(query.EntityType)) entries = entries.Where(a => a.EntityType == query.EntityType);
        if (!string.IsNullOrEmpty(query.Actor)) entries = entries.Where(a => a.Actor == query.Actor);
        var total = await entries.CountAsync(ct);
        // Id breaks ties: entries of one change share their time.
        var rows = await entries.OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(page * size).Take(size)
            .ToListAsync(ct);
        return new AuditEntryPage(
            rows.Select(a => new AuditEntryView(a.Id, a.At, a.Actor, a.Action, a.EntityType, a.EntityKey, a.Before, a.After,
                    Diff(a.Before, a.After), SubjectOf(a.After) ?? SubjectOf(a.Before)))
                .ToList(),
            total);
    }

    /// <summary>The kinds of entity whose changes visitors see at once, without a new policy version.</summary>
    public static readonly string[] LiveCatalogueTypes = ["Cookie", "Category", "Supplier", "Settings"];

    /// <summary>
    /// Catalogue and settings changes made from <paramref name="from"/> until <paramref name="until"/> (open-ended when null),
    /// oldest first. With a version's snapshot they tell what a visitor who answered that version at a given time saw.
    /// </summary>
    public async Task<IReadOnlyList<AuditEntryView>> GetCatalogueChangesAsync(DateTime from, DateTime? until, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entries = db.AuditEntries.AsNoTracking().Where(a => LiveCatalogueTypes.Contains(a.EntityType) && a.At >= from);
        if (until is { } end) entries = entries.Where(a => a.At < end);
        var rows = await entries.OrderBy(a => a.At).ThenBy(a => a.Id).Take(MaxPageSize).ToListAsync(ct);
        return rows.Select(a => new AuditEntryView(a.Id, a.At, a.Actor, a.Action, a.EntityType, a.EntityKey, a.Before, a.After,
                Diff(a.Before, a.After), SubjectOf(a.After) ?? SubjectOf(a.Before)))
            .ToList();
    }

    /// <summary>The kinds of entity the trail has entries for ("Category", "Cookie"…), for the page's filter.</summary>
    public async Task<IReadOnlyList<string>> GetEntityTypesAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().Select(a => a.EntityType).Distinct().OrderBy(t => t).ToListAsync(ct);
    }

    /// <summary>Who has made changes, for the page's filter.</summary>
    public async Task<IReadOnlyList<string>> GetActorsAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.AuditEntries.AsNoTracking().Select(a => a.Actor).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    /// <summary>
    /// The fields whose values differ between two JSON snapshots (objects), in the order they appear.
    /// A creation lists every field with no "before"; a deletion every field with no "after".
    /// Snapshots that are not JSON objects are compared whole, as the field "(value)".
    /// </summary>
    public static IReadOnlyList<AuditChange> Diff(string? before, string? after)
    {
        var b = Fields(before);
        var a = Fields(after);
        if (b is null || a is null)
        {
            return before == after ? [] : [new AuditChange("(value)", before, after)];
        }
        return b.Keys.Concat(a.Keys.Where(k => !b.ContainsKey(k)))
            .Select(k => new AuditChange(k, b.GetValueOrDefault(k), a.GetValueOrDefault(k)))
            .Where(c => c.Before != c.After)
            .ToList();
    }

    /// <summary>The snapshot's name (or email, key or number), the way people refer to the thing changed.</summary>
    private static string? SubjectOf(string? json)
    {
        var fields = Fields(json);
        if (fields is null) return null;
        return new[] { "Name", "Email", "Key", "Number" }
            .Select(wanted => fields.FirstOrDefault(f => string.Equals(f.Key, wanted, StringComparison.OrdinalIgnoreCase)).Value)
            .FirstOrDefault(v => !string.IsNullOrEmpty(v));
    }

    /// <summary>An object's fields as display text (strings unquoted, anything else as JSON); empty for null; null when not an object.</summary>
    private static Dictionary<string, string?>? Fields(string? json)
    {
        if (json is null) return [];
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return null;
            var fields = new Dictionary<string, string?>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                fields[p.Name] = p.Value.ValueKind switch
                {
                    JsonValueKind.String => p.Value.GetString(),
                    JsonValueKind.Null => null,
                    _ => p.Value.GetRawText(),
                };
            }
            return fields;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
