using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

public sealed class PolicyService(IDbContextFactory<ConsentDbContext> dbFactory)
{
    /// <summary>The newest published version: the one a visitor's decision must answer.</summary>
    public async Task<PolicyVersion> GetCurrentAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.PolicyVersions.AsNoTracking().OrderByDescending(p => p.Number).FirstAsync(ct);
    }
}
