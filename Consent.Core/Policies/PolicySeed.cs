using Consent.Core.Catalogue;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

/// <summary>
/// The policies' start-up step, once the catalogue is there: the settings from configuration, the center's own
/// cookies declared for them, and version 1 of the policy with the catalogue as visitors first see it.
/// </summary>
public static class PolicySeed
{
    internal static async Task EnsureAsync(ConsentDbContext db, ConsentOptions options, DateTime now, CancellationToken ct)
    {
        var settings = await db.ConsentSettings.SingleOrDefaultAsync(s => s.Id == ConsentSettings.SingleId, ct);
        if (settings is null)
        {
            // Configuration gives the first values; from then on Admins change them at /admin/settings.
            settings = new ConsentSettings
            {
                LifetimeMonths = options.LifetimeMonths,
                RefusalLifetimeMonths = options.RefusalLifetimeMonths,
                UpdatedAt = now,
            };
            db.ConsentSettings.Add(settings);
        }
        await CenterCookies.DeclareAsync(db, new ConsentPeriods(settings.LifetimeMonths, settings.RefusalLifetimeMonths).MaxMonths, ct);
        await db.SaveChangesAsync(ct);

        // Versions published before content hashes existed get theirs: the snapshot never changed, so neither does its hash.
        foreach (var unhashed in await db.PolicyVersions.Where(p => p.ContentHash == null).ToListAsync(ct))
        {
            unhashed.ContentHash = PolicyVersion.HashOf(unhashed.Snapshot);
        }
        await db.SaveChangesAsync(ct);

        if (await db.PolicyVersions.AnyAsync(ct)) return;
        var snapshot = (await PolicySnapshot.CaptureAsync(db, ct)).ToJson();
        db.PolicyVersions.Add(new PolicyVersion
        {
            Number = 1,
            PublishedAt = now,
            Summary = "First published version of the cookie policy.",
            Snapshot = snapshot,
            ContentHash = PolicyVersion.HashOf(snapshot),
        });
        await db.SaveChangesAsync(ct);
    }
}
