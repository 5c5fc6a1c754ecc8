using System.Text;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// Signs checkpoints of the log with the log's Ed25519 key, kept in <see cref="SigningKey"/> rows of purpose
/// <c>log-checkpoint</c> (the seed encrypted by Data Protection, the name and public key in the clear). The newest active
/// key signs; every key stays listed, so a rotation leaves older checkpoints verifiable.
/// </summary>
public sealed partial class CheckpointService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    ConsentDatabaseOptions database,
    LogTree tree,
    TimestampService timestamps,
    IDataProtectionProvider dataProtection,
    IOptions<CheckpointOptions> options,
    TimeProvider time,
    ILogger<CheckpointService> log)
{
    /// <summary>The purpose of the log's Ed25519 keys in <c>SigningKeys</c>.</summary>
    public const string KeyPurpose = "log-checkpoint";

    /// <summary>
    /// A rotated key signs only this long after it is made, so that <c>/log/key</c>, cached for at most a minute,
    /// lists it before any checkpoint it signs is served.
    /// </summary>
    public static readonly TimeSpan RotationDelay = TimeSpan.FromMinutes(2);

    /// <summary>The advisory lock's key on PostgreSQL while a checkpoint is stored ("ckpoint" in ASCII).</summary>
    private const long SigningLockKey = 0x636B706F696E74;

    private readonly IDataProtector protector = ProtectorOf(dataProtection);

    /// <summary>
    /// Signs the tree's head if it grew since the last checkpoint, or if there is none yet, and returns the newest
    /// checkpoint. Instances signing at once store one checkpoint per size: the later finds the earlier's.
    /// </summary>
    public async Task<LogCheckpoint> SignNowAsync(CancellationToken ct = default)
    {
        var head = await tree.GetHeadAsync(ct);
        if (await LatestAsync(ct) is { } latest && latest.TreeSize >= head.Size) return latest;

        var now = time.GetUtcNow().UtcDateTime;
        using var signer = await SignerAsync(now, ct);
        var note = new Checkpoint(options.Value.Origin, head.Size, head.RootHash).Sign(signer);
        var checkpoint = new LogCheckpoint
        {
            TreeSize = head.Size,
            RootHash = head.RootHash,
            Note = note,
            KeyName = signer.Name,
            SignedAt = now,
            TimestampToken = await timestamps.TryStampAsync(Encoding.UTF8.GetBytes(note), ct),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Instances signing at once take turns here (SQLite's write transaction is one at a time already), so the later one
        // finds the earlier's checkpoint instead of failing on the unique index.
        if (database.Provider == DatabaseProvider.Postgres) await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({SigningLockKey})", ct);
        if (await db.LogCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct) is { } stored && stored.TreeSize >= head.Size)
        {
            return stored;
        }
        db.LogCheckpoints.Add(checkpoint);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique index on TreeSize, should a writer not have taken the lock: the stored checkpoint stands.
            if (await AtSizeAsync(head.Size, ct) is { } first) return first;
            throw;
        }
        LogSigned(log, checkpoint.TreeSize, checkpoint.KeyName, checkpoint.TimestampToken is not null);
        return checkpoint;
    }

    /// <summary>The newest checkpoint, or null before the first.</summary>
    public async Task<LogCheckpoint?> LatestAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LogCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).FirstOrDefaultAsync(ct);
    }

    /// <summary>Checkpoints in order of size, those of a size above <paramref name="after"/>, at most <paramref name="limit"/>.</summary>
    public async Task<IReadOnlyList<LogCheckpoint>> HistoryAsync(long after, int limit, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LogCheckpoints.AsNoTracking().Where(c => c.TreeSize > after).OrderBy(c => c.TreeSize).Take(limit).ToListAsync(ct);
    }

    /// <summary>The checkpoint of that size, if one was signed.</summary>
    public async Task<LogCheckpoint?> AtSizeAsync(long treeSize, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.LogCheckpoints.AsNoTracking().SingleOrDefaultAsync(c => c.TreeSize == treeSize, ct);
    }

    /// <summary>Every key that signed or will sign checkpoints, newest first: what <c>/log/key</c> serves.</summary>
    public async Task<IReadOnlyList<NoteVerifier>> VerifiersAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await StoredKeys(db).Select(k => new { k.Name, k.PublicKey }).ToListAsync(ct);
        return [.. keys.Select(k => NoteVerifier.FromPublicKey(k.Name!, k.PublicKey!))];
    }

    /// <summary>
    /// Adds a key under a new name (<c>origin/2</c>, <c>origin/3</c>…), which signs from <see cref="RotationDelay"/> on;
    /// returns its verifier and when it signs.
    /// </summary>
    public async Task<(NoteVerifier Verifier, DateTime SignsFrom)> RotateKeyAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var names = await db.SigningKeys.Where(k => k.Purpose == KeyPurpose).Select(k => k.Name).ToListAsync(ct);
        var origin = options.Value.Origin;
        var number = names.Count + 1;
        while (names.Contains($"{origin}/{number}")) number++;
        using var signer = NoteSigner.Generate($"{origin}/{number}");
        var key = NewKey(protector, signer, now, now + RotationDelay);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(ct);
        LogRotated(log, signer.Name, key.ActivatesAt);
        return (signer.Verifier, key.ActivatesAt);
    }

    /// <summary>Creates the log's first key, named after the origin; a start-up step of <see cref="ConsentDatabase.InitializeAsync"/>.</summary>
    internal static async Task EnsureKeyAsync(ConsentDbContext db, IDataProtectionProvider dataProtection, string origin, DateTime now, CancellationToken ct)
    {
        if (await db.SigningKeys.AnyAsync(k => k.Purpose == KeyPurpose, ct)) return;
        using var signer = NoteSigner.Generate(origin);
        db.SigningKeys.Add(NewKey(ProtectorOf(dataProtection), signer, now, now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The newest key already active; the oldest if none is (a clock set back).</summary>
    private async Task<NoteSigner> SignerAsync(DateTime now, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var keys = await StoredKeys(db).ToListAsync(ct);
        var key = keys.FirstOrDefault(k => k.ActivatesAt <= now) ?? keys.LastOrDefault()
            ?? throw new InvalidOperationException("The log's signing key is missing: ConsentDatabase.InitializeAsync creates it on start.");
        var seed = protector.Unprotect(key.ProtectedSecret);
        try
        {
            return NoteSigner.FromSeed(key.Name!, seed);
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    private static IQueryable<SigningKey> StoredKeys(ConsentDbContext db) =>
        db.SigningKeys.AsNoTracking().Where(k => k.Purpose == KeyPurpose).OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Id);

    private static IDataProtector ProtectorOf(IDataProtectionProvider dataProtection) =>
        dataProtection.CreateProtector("Consent.Log.CheckpointKey");

    private static SigningKey NewKey(IDataProtector protector, NoteSigner signer, DateTime now, DateTime activatesAt)
    {
        var seed = signer.ExportSeed();
        try
        {
            return new SigningKey
            {
                Purpose = KeyPurpose,
                Name = signer.Name,
                PublicKey = signer.Verifier.PublicKey,
                ProtectedSecret = protector.Protect(seed),
                CreatedAt = now,
                ActivatesAt = activatesAt,
            };
        }
        finally
        {
            Array.Clear(seed);
        }
    }

    [LoggerMessage(EventId = 5100, EventName = "CheckpointSigned", Level = LogLevel.Information,
        Message = "Signed a checkpoint of the log at {TreeSize} records with key {KeyName} (timestamped: {Timestamped})")]
    private static partial void LogSigned(ILogger logger, long treeSize, string keyName, bool timestamped);

    [LoggerMessage(EventId = 5101, EventName = "CheckpointKeyRotated", Level = LogLevel.Warning,
        Message = "Added the log key {KeyName}; it signs checkpoints from {SignsFrom:O}, and older keys still verify theirs")]
    private static partial void LogRotated(ILogger logger, string keyName, DateTime signsFrom);
}
