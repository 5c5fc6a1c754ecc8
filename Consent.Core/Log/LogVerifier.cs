using System.Data;
using System.Globalization;
using System.Text.Json;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Consent.Core.Log;

/// <summary>
/// Checks the whole log against what its records say (docs/log.md, "Verification"): every leaf recomputed from the stored record
/// and its policy text, the tree regrown from them, and compared with every kept subtree, the head and every signed checkpoint.
/// Records are read in position order, a chunk at a time, inside one read snapshot: memory stays flat and writers are not held up.
/// </summary>
public sealed class LogVerifier(IDbContextFactory<ConsentDbContext> dbFactory, ConsentDatabaseOptions database, TimeProvider time)
{
    public const string AuditAction = "log.verify";

    // A multiple of the kept subtrees' 256 leaves, so a chunk of consecutive positions holds each subtree it completes.
    private const int Chunk = 4096;

    /// <summary>Runs the verification and writes it to the audit trail under <paramref name="actor"/>.</summary>
    /// <param name="progress">Hears how many records are verified so far, after each chunk.</param>
    public async Task<LogVerification> VerifyAsync(string actor, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        var result = await CheckAsync(progress, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        AuditTrail.Record(db, time.GetUtcNow().UtcDateTime, actor, AuditAction, "Log", "tree", null,
            new VerificationEntry(result.Records, result.Checkpoints, result.Difference ?? Verified));
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>The newest verification in the audit trail, by anyone.</summary>
    public async Task<LastVerification?> LastAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var entry = await db.AuditEntries.AsNoTracking().Where(a => a.Action == AuditAction)
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id).FirstOrDefaultAsync(ct);
        if (entry?.After is null) return null;
        var stored = JsonSerializer.Deserialize<VerificationEntry>(entry.After);
        return stored is null ? null
            : new LastVerification(entry.At, entry.Actor, new LogVerification(stored.Records, stored.Checkpoints, stored.Result == Verified ? null : stored.Result));
    }

    private const string Verified = "verified";

    private sealed record VerificationEntry(long Records, int Checkpoints, string Result);

    /// <summary>Verifies without writing anything.</summary>
    public async Task<LogVerification> CheckAsync(IProgress<long>? progress = null, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
        await using var snapshot = await BeginSnapshotAsync(db, ct);
        return await new Pass(db, progress, ct).RunAsync();
    }

    /// <summary>
    /// One consistent view of the log while appends go on: REPEATABLE READ on PostgreSQL, a deferred transaction on SQLite, which
    /// reads a snapshot of the WAL and takes no write lock.
    /// </summary>
    private async Task<IDbContextTransaction> BeginSnapshotAsync(ConsentDbContext db, CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Postgres) return await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await db.Database.OpenConnectionAsync(ct);
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        return await db.Database.UseTransactionAsync(connection.BeginTransaction(deferred: true), ct)
            ?? throw new InvalidOperationException("SQLite did not begin a transaction.");
    }

    private sealed record SignedCheckpoint(long TreeSize, byte[] RootHash, DateTime SignedAt);

    /// <summary>One run over the log; every method returns the first difference it finds, or null.</summary>
    private sealed class Pass(ConsentDbContext db, IProgress<long>? progress, CancellationToken ct)
    {
        private readonly Frontier frontier = new();
        private readonly Dictionary<int, byte[]> policyHashes = [];
        private readonly List<SignedCheckpoint> checkpoints = [];
        private readonly List<(int Level, long Index, byte[] Hash)> completed = [];
        private readonly List<byte[]> chunkLeaves = new(Chunk);
        private long chunkStart;

        // The leaves since the last checkpoint whose root matched, with the tree at that point: where a swap is looked for.
        private readonly List<byte[]> since = [];
        private long sinceSize;
        private byte[] sinceFrontier = [];
        private bool sinceOverflow;

        private int checkpointsChecked;

        private LogVerification Result(string? difference) => new(frontier.Size, checkpointsChecked, difference);

        public async Task<LogVerification> RunAsync()
        {
            var head = await db.LogHead.SingleOrDefaultAsync(h => h.Id == LogHead.SingleId, ct);
            if (head is null) return Result("the log's head row was removed");
            Frontier storedHead;
            try
            {
                storedHead = Frontier.Read(head.Size, head.Frontier);
            }
            catch (InvalidDataException)
            {
                return Result($"the log's head was altered: it counts {head.Size} records but does not hold their tree's right edge");
            }

            var difference = await PolicyTextsAsync() ?? await CheckpointNotesAsync()
                ?? await LeaflessRecordAsync() ?? await RecordsAsync(head.Size) ?? await EndAsync(head.Size, storedHead);
            return Result(difference);
        }

        private async Task<string?> PolicyTextsAsync()
        {
            await foreach (var policy in db.PolicyVersions.OrderBy(p => p.Number).Select(p => new { p.Number, p.Snapshot, p.ContentHash }).AsAsyncEnumerable().WithCancellation(ct))
            {
                var hash = PolicyVersion.HashOf(policy.Snapshot);
                if (policy.ContentHash is { } stored && !stored.AsSpan().SequenceEqual(hash))
                {
                    return $"the text of policy version {policy.Number} was altered: its snapshot no longer has the content hash its records' leaves name";
                }
                policyHashes[policy.Number] = hash;
            }
            return null;
        }

        private async Task<string?> CheckpointNotesAsync()
        {
            var verifiers = new List<NoteVerifier>();
            var keys = await db.SigningKeys.Where(k => k.Purpose == CheckpointService.KeyPurpose).Select(k => new { k.Id, k.Name, k.PublicKey }).ToListAsync(ct);
            foreach (var key in keys)
            {
                try
                {
                    verifiers.Add(NoteVerifier.FromPublicKey(key.Name ?? "", key.PublicKey ?? []));
                }
                catch (SignedNoteException)
                {
                    return $"the log's signing key {key.Id} was altered: it holds no valid name and Ed25519 public key";
                }
            }
            await foreach (var row in db.LogCheckpoints.OrderBy(c => c.TreeSize).Select(c => new { c.TreeSize, c.RootHash, c.Note, c.SignedAt }).AsAsyncEnumerable().WithCancellation(ct))
            {
                Checkpoint signed;
                try
                {
                    signed = Checkpoint.Parse(SignedNote.Open(row.Note, verifiers).Text);
                }
                catch (SignedNoteException)
                {
                    return $"checkpoint of {row.TreeSize} records is not signed by a key of this log";
                }
                if (signed.TreeSize != row.TreeSize || !signed.RootHash.AsSpan().SequenceEqual(row.RootHash))
                {
                    return $"checkpoint of {row.TreeSize} records was altered: its row does not say what its signed note says ({signed.TreeSize} records)";
                }
                checkpoints.Add(new SignedCheckpoint(signed.TreeSize, signed.RootHash, row.SignedAt));
            }
            return null;
        }

        private async Task<string?> LeaflessRecordAsync()
        {
            var leafless = await db.ConsentRecords.Where(r => r.LogIndex == null).Select(r => (Guid?)r.Id).FirstOrDefaultAsync(ct);
            return leafless is { } id ? $"record {id} was inserted: it has no leaf" : null;
        }

        private async Task<string?> RecordsAsync(long headSize)
        {
            if (CheckpointAt() is { } empty) return empty;
            long after = -1;
            while (true)
            {
                var chunk = await db.ConsentRecords.Where(r => r.LogIndex > after).OrderBy(r => r.LogIndex).Take(Chunk).ToListAsync(ct);
                if (chunk.Count == 0) return await KeptNodesAsync();
                chunkStart = frontier.Size;
                chunkLeaves.Clear();
                // Hashing is most of the work and each leaf stands alone: on every core; the tree then grows in order.
                var leaves = new byte[]?[chunk.Count];
                Parallel.For(0, chunk.Count, new ParallelOptions { CancellationToken = ct }, i => leaves[i] = Leaf(chunk[i]));
                for (var i = 0; i < chunk.Count; i++)
                {
                    var record = chunk[i];
                    var position = record.LogIndex!.Value;
                    var difference = position >= headSize ? $"record {record.Id} was inserted at position {position}, beyond the log's head of {headSize} records"
                        : position > frontier.Size ? (position == frontier.Size + 1 ? $"a record was removed at position {frontier.Size}" : $"records were removed at positions {frontier.Size} to {position - 1}")
                        : position < frontier.Size ? $"record {record.Id} was inserted at position {position}, which another record holds"
                        : null;
                    var leaf = difference is null ? leaves[i] : null;
                    if (difference is null && leaf is null) difference = await AlteredAsync(record, position);
                    if (difference is not null) return await KeptNodesAsync() ?? difference;

                    frontier.Append(leaf!, (level, index, hash) =>
                    {
                        if (level >= LogTree.StoredFromLevel) completed.Add((level, index, hash));
                    });
                    chunkLeaves.Add(leaf!);
                    Remember(leaf!);
                    if (CheckpointAt() is { } checkpoint) return await KeptNodesAsync() ?? checkpoint;
                }
                if (await KeptNodesAsync() is { } nodes) return nodes;
                after = chunk[^1].LogIndex!.Value;
                progress?.Report(frontier.Size);
            }
        }

        /// <summary>The leaf the record's stored fields give, or null when they do not give the one it was appended with.</summary>
        private byte[]? Leaf(ConsentRecord record)
        {
            if (!policyHashes.TryGetValue(record.PolicyVersion, out var policyHash) || record.LeafHash is null) return null;
            try
            {
                if (record.VisitorId is { } visitorId
                    && (record.VisitorSalt is null || record.VisitorCommitment is null
                        || !VisitorCommitment.Of(record.VisitorSalt, visitorId).AsSpan().SequenceEqual(record.VisitorCommitment)))
                {
                    return null;
                }
                var leaf = LogLeaf.Hash(record, policyHash);
                return leaf.AsSpan().SequenceEqual(record.LeafHash) ? leaf : null;
            }
            catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
            {
                return null;
            }
        }

        /// <summary>An altered record, or one that holds another position's leaf: two records swapped.</summary>
        private async Task<string> AlteredAsync(ConsentRecord record, long position)
        {
            if (policyHashes.TryGetValue(record.PolicyVersion, out var policyHash))
            {
                byte[]? leaf = null;
                try
                {
                    leaf = LogLeaf.Hash(record, policyHash);
                }
                catch (Exception ex) when (ex is InvalidDataException or ArgumentException)
                {
                    // Not a record the log could hold: altered.
                }
                if (leaf is not null)
                {
                    var elsewhere = await db.ConsentRecords.Where(r => r.LeafHash == leaf && r.LogIndex != position).Select(r => r.LogIndex).FirstOrDefaultAsync(ct);
                    if (elsewhere is { } other) return Swapped(position, other);
                }
            }
            return $"record {record.Id} at position {position} was altered";
        }

        private static string Swapped(long a, long b) => $"records at positions {Math.Min(a, b)} and {Math.Max(a, b)} were swapped";

        private void Remember(byte[] leaf)
        {
            if (sinceOverflow) return;
            if (since.Count == SwapSearch.MaxLeaves)
            {
                sinceOverflow = true;
                since.Clear();
                return;
            }
            since.Add(leaf);
        }

        private void Verified()
        {
            since.Clear();
            sinceOverflow = false;
            sinceSize = frontier.Size;
            sinceFrontier = frontier.ToBytes();
        }

        /// <summary>Compares the root with the signed checkpoint of the tree's size now, if there is one.</summary>
        private string? CheckpointAt()
        {
            if (checkpointsChecked == checkpoints.Count || checkpoints[checkpointsChecked].TreeSize != frontier.Size) return null;
            var checkpoint = checkpoints[checkpointsChecked++];
            if (frontier.Root.AsSpan().SequenceEqual(checkpoint.RootHash))
            {
                Verified();
                return null;
            }
            return Reordered(checkpoint.RootHash,
                $"the tree of the first {checkpoint.TreeSize} records does not have the root of the checkpoint of {checkpoint.TreeSize} records signed {Time(checkpoint.SignedAt)}");
        }

        /// <summary>Where the leaves since the last matching checkpoint differ from a root only by a swap, says which two.</summary>
        private string Reordered(byte[] root, string what)
        {
            if (!sinceOverflow && SwapSearch.Find(Frontier.Read(sinceSize, sinceFrontier), since, root) is { } swap) return Swapped(sinceSize + swap.A, sinceSize + swap.B);
            return $"{what}: records between positions {sinceSize} and {frontier.Size - 1} were reordered, removed or rewritten together with their leaf hashes";
        }

        /// <summary>Compares the subtrees completed since the last call with the kept ones (<see cref="LogNode"/>).</summary>
        private async Task<string?> KeptNodesAsync()
        {
            if (completed.Count == 0) return null;
            var pending = completed.ToList();
            completed.Clear();
            foreach (var level in pending.Select(n => n.Level).Distinct().Order())
            {
                var expected = pending.Where(n => n.Level == level).ToList();
                var (from, to) = (expected[0].Index, expected[^1].Index);
                var kept = await db.LogNodes.Where(n => n.Level == level && n.Index >= from && n.Index <= to).OrderBy(n => n.Index)
                    .Select(n => new { n.Index, n.Hash }).ToListAsync(ct);
                foreach (var node in expected)
                {
                    var (start, end) = (node.Index << level, (node.Index + 1) << level);
                    var stored = kept.Find(k => k.Index == node.Index);
                    if (stored is null) return $"the log's kept subtree of positions {start} to {end - 1} was removed";
                    if (stored.Hash.AsSpan().SequenceEqual(node.Hash)) continue;
                    if (level == LogTree.StoredFromLevel && start >= chunkStart
                        && SwapSearch.Find(new Frontier(), chunkLeaves.GetRange((int)(start - chunkStart), 1 << level), stored.Hash) is { } swap)
                    {
                        return Swapped(start + swap.A, start + swap.B);
                    }
                    return $"the log's kept subtree of positions {start} to {end - 1} does not match its records: they were reordered or rewritten together with their leaf hashes, or the subtree was altered";
                }
            }
            return null;
        }

        private async Task<string?> EndAsync(long headSize, Frontier storedHead)
        {
            var count = frontier.Size;
            var last = count == 0 ? "the log was cut at its start" : $"the log was cut after position {count - 1}";
            if (checkpoints.FirstOrDefault(c => c.TreeSize > count) is { } beyond)
            {
                return $"{last}: checkpoint of {beyond.TreeSize} records signed {Time(beyond.SignedAt)}";
            }
            if (headSize > count) return $"{last}: its head counts {headSize} records";
            if (!storedHead.ToBytes().AsSpan().SequenceEqual(frontier.ToBytes()))
            {
                return Reordered(storedHead.Root, "the log's head does not hold the tree of its records");
            }
            var expectedNodes = 0L;
            for (var level = LogTree.StoredFromLevel; level < 63 && count >> level > 0; level++) expectedNodes += count >> level;
            var keptNodes = await db.LogNodes.LongCountAsync(ct);
            return keptNodes == expectedNodes ? null
                : $"the log's kept subtrees were altered: {keptNodes} are stored where its {count} records make {expectedNodes}";
        }

        private static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
    }
}
