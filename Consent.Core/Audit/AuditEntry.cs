using System.Text.Json;
using Consent.Core.Persistence;

namespace Consent.Core.Audit;

/// <summary>
/// One change made by the privacy team (catalogue, policy versions, settings, accounts): who, when,
/// what, and the state before and after as JSON. Written in the same transaction as the change itself.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }
    public DateTime At { get; set; }

    /// <summary>The signed-in user's name (their email), or "system" for changes made on start.</summary>
    public required string Actor { get; set; }

    /// <summary>What was done, as a verb phrase: "cookie.update", "policy.publish"…</summary>
    public required string Action { get; set; }

    /// <summary>What it was done to: "Cookie", "Category", "Supplier", "PolicyVersion", "Settings", "Account".</summary>
    public required string EntityType { get; set; }

    /// <summary>Which one: its id or key.</summary>
    public required string EntityKey { get; set; }

    /// <summary>The state before the change as JSON, null for a creation.</summary>
    public string? Before { get; set; }

    /// <summary>The state after the change as JSON, null for a deletion.</summary>
    public string? After { get; set; }
}

/// <summary>Adds audit entries to a unit of work, so that they are saved with the change they describe.</summary>
public static class AuditTrail
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>Adds the entry to <paramref name="db"/>; it is stored by the same SaveChanges as the change.</summary>
    public static void Record(ConsentDbContext db, DateTime at, string actor, string action, string entityType, string entityKey, object? before, object? after) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = at,
            Actor = actor,
            Action = action,
            EntityType = entityType,
            EntityKey = entityKey,
            Before = before is null ? null : JsonSerializer.Serialize(before, Json),
            After = after is null ? null : JsonSerializer.Serialize(after, Json),
        });
}
