using Consent.Core.Audit;
using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

/// <summary>
/// The consent periods (consent lifetime and re-ask interval after a refusal). Visitors' requests read them from the
/// <see cref="Snapshot.CenterSnapshot"/>; this reads and changes the stored row.
/// </summary>
public sealed class ConsentSettingsService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<ConsentSettingsInput> validator,
    ChangeFeed changes,
    TimeProvider time)
{
    /// <summary>The settings row, with who changed it last and when.</summary>
    public async Task<ConsentSettings> GetAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ConsentSettings.AsNoTracking().SingleAsync(s => s.Id == ConsentSettings.SingleId, ct);
    }

    /// <summary>
    /// Validates and saves the periods; the declared duration of the consent cookie follows the longer
    /// one, and an audit entry is written in the same transaction. Warnings (a short re-ask interval)
    /// need <see cref="ConsentSettingsInput.ConfirmShortRefusal"/>; the validator makes that an error otherwise.
    /// </summary>
    public async Task SaveAsync(ConsentSettingsInput input, string actor, CancellationToken ct = default)
    {
        var result = await validator.ValidateAsync(input, ct);
        var errors = result.Errors.Where(e => e.Severity == Severity.Error).ToList();
        if (errors.Count > 0) throw new ValidationException(errors);

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ConsentSettings.SingleAsync(s => s.Id == ConsentSettings.SingleId, ct);
        var before = new { row.LifetimeMonths, row.RefusalLifetimeMonths };
        var now = time.GetUtcNow().UtcDateTime;
        row.LifetimeMonths = input.LifetimeMonths;
        row.RefusalLifetimeMonths = input.RefusalLifetimeMonths;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        await CenterCookies.DeclareAsync(db, new ConsentPeriods(row.LifetimeMonths, row.RefusalLifetimeMonths).MaxMonths, ct);
        AuditTrail.Record(db, now, actor, "settings.update", "Settings", "consent-periods", before,
            new { row.LifetimeMonths, row.RefusalLifetimeMonths });
        await db.SaveChangesAsync(ct);
        await changes.AnnounceAsync(ChangeTopic.Settings);
    }
}
