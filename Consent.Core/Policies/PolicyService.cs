using Consent.Core.Audit;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

/// <summary>A version in the privacy team's list: who published it, when, and what changed.</summary>
public sealed record PolicyVersionSummary(
    int Number,
    DateTime PublishedAt,
    string PublishedBy,
    string Summary,
    IReadOnlyList<string> ChangedCategories,
    IReadOnlyList<string> ChangedCategoryNames);

/// <summary>A past or current version, readable as its visitors saw it.</summary>
public sealed record PolicyVersionDetails(PolicyVersionSummary Version, PolicySnapshot Snapshot);

/// <summary>What the banner tells a returning visitor about one version published since their choice.</summary>
public sealed record PolicyChange(int Number, DateTime PublishedAt, string Summary, IReadOnlyList<string> ChangedCategoryNames);

/// <summary>Thrown when another Admin published the same version number at the same moment.</summary>
public sealed class PolicyPublishConflictException(int number)
    : Exception($"Another member of the privacy team published version {number} at the same moment, so yours was not published. " +
        "Read their summary in the list; publish yours again if your change is not covered.")
{
    public int Number { get; } = number;
}

/// <summary>Policy versions: the current one, publishing a new one (which asks every visitor again), and past ones.</summary>
public sealed class PolicyService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<PolicyPublication> validator,
    ChangeFeed changes,
    TimeProvider time)
{
    /// <summary>At most this many "what changed" entries in the banner: it must stay short.</summary>
    public const int MaxChangesShown = 3;

    /// <summary>The newest published version: the one a visitor's decision must answer.</summary>
    public async Task<PolicyVersion> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PolicyVersions.AsNoTracking().OrderByDescending(p => p.Number).FirstAsync(ct);
    }

    /// <summary>
    /// Publishes the next version with a snapshot of the catalogue as it is now. Every visitor whose
    /// decision answers an older version sees the banner again, with this summary.
    /// </summary>
    /// <exception cref="ValidationException">The summary or the changed categories are not acceptable; nothing is stored.</exception>
    /// <exception cref="PolicyPublishConflictException">Another Admin took the same number at the same moment.</exception>
    public async Task<PolicyVersion> PublishAsync(PolicyPublication input, string actor, CancellationToken ct = default)
    {
        await validator.ValidateAndThrowAsync(input, ct);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var number = await db.PolicyVersions.MaxAsync(p => p.Number, ct) + 1;
        var snapshot = await PolicySnapshot.CaptureAsync(db, ct);
        var json = snapshot.ToJson();
        var version = new PolicyVersion
        {
            Number = number,
            PublishedAt = time.GetUtcNow().UtcDateTime,
            PublishedBy = actor,
            Summary = input.Summary!.Trim(),
            // In catalogue order, once each, whatever order they were ticked in.
            ChangedCategories = snapshot.Categories.Select(c => c.Key).Where(input.ChangedCategories.Contains).ToList(),
            Snapshot = json,
            ContentHash = PolicyVersion.HashOf(json),
        };
        db.PolicyVersions.Add(version);
        AuditTrail.Record(db, version.PublishedAt, actor, "policy.publish", "PolicyVersion", number.ToString(System.Globalization.CultureInfo.InvariantCulture),
            null, new { version.Number, version.Summary, version.ChangedCategories });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The primary key refused a second version with the same number: say so plainly.
            if (await ExistsAsync(number, ct)) throw new PolicyPublishConflictException(number);
            throw;
        }
        await changes.AnnounceAsync(ChangeTopic.Policies);
        return version;
    }

    /// <summary>Every version, newest first.</summary>
    public async Task<IReadOnlyList<PolicyVersionSummary>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.PolicyVersions.AsNoTracking().OrderByDescending(p => p.Number).ToListAsync(ct);
        return versions.Select(v => ToSummary(v, ReadSnapshot(v))).ToList();
    }

    /// <summary>One version with the catalogue its visitors answered, or null if there is no such version.</summary>
    public async Task<PolicyVersionDetails?> GetAsync(int number, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var version = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(p => p.Number == number, ct);
        if (version is null) return null;
        var snapshot = ReadSnapshot(version);
        return new PolicyVersionDetails(ToSummary(version, snapshot), snapshot);
    }

    /// <summary>
    /// What changed since a visitor answered <paramref name="answered"/>: the versions published after it,
    /// newest first, at most <see cref="MaxChangesShown"/>.
    /// </summary>
    public async Task<IReadOnlyList<PolicyChange>> GetChangesSinceAsync(int answered, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var versions = await db.PolicyVersions.AsNoTracking()
            .Where(p => p.Number > answered)
            .OrderByDescending(p => p.Number)
            .Take(MaxChangesShown)
            .ToListAsync(ct);
        return versions.Select(v =>
        {
            var summary = ToSummary(v, ReadSnapshot(v));
            return new PolicyChange(v.Number, v.PublishedAt, v.Summary, summary.ChangedCategoryNames);
        }).ToList();
    }

    private async Task<bool> ExistsAsync(int number, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PolicyVersions.AnyAsync(p => p.Number == number, ct);
    }

    private static PolicySnapshot ReadSnapshot(PolicyVersion version) => PolicySnapshot.FromJson(version.Snapshot);

    /// <summary>Category names as that version showed them: a category renamed since keeps its old name here.</summary>
    private static PolicyVersionSummary ToSummary(PolicyVersion v, PolicySnapshot snapshot) =>
        new(v.Number, v.PublishedAt, v.PublishedBy, v.Summary, v.ChangedCategories,
            v.ChangedCategories.Select(snapshot.NameOf).ToList());
}
