using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Consent.Core.Log.Receipts;

/// <summary>
/// Issues a visitor's receipt for one of their records: the record's fields, the controller, the policy, and the proof against
/// a signed checkpoint that includes the record (one is signed first when the record is newer than the latest).
/// </summary>
public sealed class ReceiptService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    LogTree tree,
    CheckpointService checkpoints,
    SnapshotService snapshots,
    IOptions<ControllerOptions> controller,
    TimeProvider time)
{
    /// <summary>The receipt of the visitor's record, or null when it is not theirs, was erased, or has no leaf yet.</summary>
    public async Task<Receipt?> IssueAsync(Guid consentId, string visitorId, string policyUrl, CancellationToken ct = default)
    {
        if (!ConsentCookie.IsVisitorId(visitorId)) return null;
        ConsentRecord? record;
        PolicyVersion? policy;
        await using (var db = await dbFactory.CreateDbContextAsync(ct))
        {
            record = await db.ConsentRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Id == consentId && r.VisitorId == visitorId, ct);
            if (record is not { LogIndex: not null, VisitorSalt: not null, VisitorCommitment: not null }) return null;
            policy = await db.PolicyVersions.AsNoTracking().SingleOrDefaultAsync(p => p.Number == record.PolicyVersion, ct);
            if (policy is null) return null;
        }

        var latest = await checkpoints.LatestAsync(ct);
        var checkpoint = latest is not null && latest.TreeSize > record.LogIndex ? latest : await checkpoints.SignNowAsync(ct);
        var proof = await tree.InclusionProofAsync(consentId, checkpoint.TreeSize, ct)
            ?? throw new InvalidDataException($"Record {consentId} is not in the checkpoint of {checkpoint.TreeSize} records that should hold it.");
        var key = (await checkpoints.VerifiersAsync(ct)).First(k => k.Name == checkpoint.KeyName);
        var snapshot = await snapshots.GetAsync(ct);
        return Receipt.Of(record, policy.ContentHash ?? PolicyVersion.HashOf(policy.Snapshot), proof, checkpoint, key,
            controller.Value, policyUrl, snapshot.CategoriesIn(record.Language), time.GetUtcNow());
    }
}
