using System.Security.Cryptography;
using System.Text;
using Consent.Core.Persistence;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Consent.Core.Consents;

/// <summary>What the consent cookie says: who decided, which record, which policy version, what was granted, and when.</summary>
public sealed record ConsentCookieState(string VisitorId, Guid ConsentId, int PolicyVersion, IReadOnlyList<string> Granted, DateTime RecordedAt);

/// <summary>
/// Writes and reads the first-party consent cookie. The value is readable
/// (<c>1.visitor.consent.policy.granted~keys.unixtime.signature</c>) and signed with HMAC-SHA256,
/// so a malformed or edited cookie reads as "no decision", never as an error. The newest active
/// <see cref="SigningKey"/> signs; every key of the purpose verifies, so a rotation keeps older cookies valid.
/// </summary>
public sealed partial class ConsentCookie
{
    public const string Name = "cc_consent";
    internal const string KeyPurpose = "consent-cookie";

    /// <summary>
    /// A new key signs only this long after it is made: by then every instance has read it (the key list is
    /// re-read on a <see cref="ChangeTopic.Keys"/> change, and at the latest after <see cref="ReloadAfter"/>).
    /// </summary>
    public static readonly TimeSpan RotationDelay = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan ReloadAfter = TimeSpan.FromMinutes(1);

    private readonly IDbContextFactory<ConsentDbContext> dbFactory;
    private readonly IDataProtector protector;
    private readonly ChangeFeed changes;
    private readonly TimeProvider time;
    private readonly ILogger<ConsentCookie> log;
    private readonly Lock reloadGate = new();
    private readonly Lock keepGate = new();
    private volatile KeyRing? keys;
    private long loads;
    private int refreshing;
    private int refreshWanted;
    private DateTimeOffset lastFailedReload = DateTimeOffset.MinValue;

    public ConsentCookie(IDbContextFactory<ConsentDbContext> dbFactory, IDataProtectionProvider dataProtection, ChangeFeed changes, TimeProvider time,
        ILogger<ConsentCookie> log)
    {
        this.log = log;
        this.dbFactory = dbFactory;
        protector = ProtectorOf(dataProtection);
        this.changes = changes;
        this.time = time;
        changes.Changed += topic =>
        {
            if (topic == ChangeTopic.Keys) RefreshInBackground();
        };
    }

    public string Encode(ConsentCookieState state)
    {
        var payload = ConsentCookieFormat.Payload(state);
        return payload + "." + Sign(payload, Keys().SigningSecret(time.GetUtcNow().UtcDateTime));
    }

    public ConsentCookieState? TryDecode(string? value)
    {
        if (!ConsentCookieFormat.TrySplit(value, out var payload, out var signed)) return null;
        var signature = Encoding.ASCII.GetBytes(signed);
        var ring = Keys();
        // A key made on another instance since this one last read them: read again, at most once per reload period.
        var signedByUs = SignedBy(ring, payload, signature) || (!IsFresh(ring) && TryReloadNow() is { } reread && SignedBy(reread, payload, signature));
        return signedByUs ? ConsentCookieFormat.TryParsePayload(payload) : null;
    }

    /// <summary>A new random visitor id: 128 bits as 32 lower-case hex digits.</summary>
    public static string NewVisitorId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsVisitorId(string? value) =>
        value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    /// <summary>
    /// Makes a new signing key, which signs from <see cref="RotationDelay"/> on; cookies signed by older keys stay
    /// valid until their decisions expire. Returns when the new key signs.
    /// </summary>
    public async Task<DateTime> RotateKeyAsync(CancellationToken ct = default)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var key = NewKey(protector, now, now + RotationDelay);
        db.SigningKeys.Add(key);
        await db.SaveChangesAsync(ct);
        await LoadKeysAsync(ct);
        await changes.AnnounceAsync(ChangeTopic.Keys);
        return key.ActivatesAt;
    }

    private static string Sign(string payload, byte[] secret) =>
        Convert.ToBase64String(HMACSHA256.HashData(secret, Encoding.ASCII.GetBytes(payload)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool SignedBy(KeyRing ring, string payload, byte[] signature)
    {
        var signed = false;
        foreach (var secret in ring.Secrets)
        {
            signed |= CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload, secret)), signature);
        }
        return signed;
    }

    /// <summary>
    /// Reads the keys into memory: a start-up step (<see cref="ConsentDatabase.InitializeAsync"/>). Afterwards they are read
    /// again in the background after <see cref="ReloadAfter"/> or a <see cref="ChangeTopic.Keys"/> change.
    /// </summary>
    public async Task LoadKeysAsync(CancellationToken ct = default)
    {
        var load = Interlocked.Increment(ref loads);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        Keep(Read(await StoredKeys(db).ToListAsync(ct), load));
    }

    /// <summary>The keys in memory; the kept ones while a reload runs in the background.</summary>
    private KeyRing Keys()
    {
        var ring = keys;
        if (ring is null) return ReloadNow();
        if (!IsFresh(ring)) RefreshInBackground();
        return ring;
    }

    private bool IsFresh(KeyRing ring)
    {
        var now = time.GetUtcNow();
        return now - ring.ReadAt < ReloadAfter && now >= ring.ReadAt;
    }

    /// <summary>Only when the keys were never loaded, which the start-up step does first.</summary>
    private KeyRing ReloadNow()
    {
        lock (reloadGate)
        {
            return keys ?? ReadNow();
        }
    }

    /// <summary>
    /// Reads the keys now for a cookie no kept key verifies; one caller at a time, and not again for a reload period after a
    /// failure (a database that does not answer), so that a forged cookie reads as no decision and never holds up requests.
    /// </summary>
    private KeyRing? TryReloadNow()
    {
        lock (reloadGate)
        {
            var now = time.GetUtcNow();
            if (keys is { } kept && IsFresh(kept)) return kept;
            if (now - lastFailedReload < ReloadAfter && now >= lastFailedReload) return null;
            try
            {
                return ReadNow();
            }
            catch (Exception ex)
            {
                lastFailedReload = now;
                LogReloadForCookieFailed(log, ex);
                return null;
            }
        }
    }

    private KeyRing ReadNow()
    {
        var load = Interlocked.Increment(ref loads);
        using var db = dbFactory.CreateDbContext();
        return Keep(Read([.. StoredKeys(db)], load));
    }

    /// <summary>Keeps a ring unless a load that started later was kept already.</summary>
    private KeyRing Keep(KeyRing ring)
    {
        lock (keepGate)
        {
            if (keys is { } kept && kept.Load > ring.Load) return kept;
            keys = ring;
            return ring;
        }
    }

    /// <summary>One background load at a time; a request for one during it (a Keys change) loads once more after it.</summary>
    private void RefreshInBackground()
    {
        Volatile.Write(ref refreshWanted, 1);
        if (Interlocked.CompareExchange(ref refreshing, 1, 0) != 0) return;
        _ = Task.Run(async () =>
        {
            try
            {
                while (Interlocked.Exchange(ref refreshWanted, 0) == 1)
                {
                    await LoadKeysAsync();
                }
            }
            catch (Exception ex)
            {
                // The kept keys stay in use; the next request past the reload period tries again.
                LogReloadFailed(log, ex);
            }
            finally
            {
                Volatile.Write(ref refreshing, 0);
            }
            if (Volatile.Read(ref refreshWanted) == 1) RefreshInBackground();
        });
    }

    private static IQueryable<SigningKey> StoredKeys(ConsentDbContext db) =>
        db.SigningKeys.AsNoTracking().Where(k => k.Purpose == KeyPurpose).OrderByDescending(k => k.ActivatesAt).ThenByDescending(k => k.Id);

    private KeyRing Read(List<SigningKey> stored, long load) => stored.Count == 0
        ? throw new InvalidOperationException("The consent cookie's signing key is missing: ConsentDatabase.InitializeAsync creates it on start.")
        : new KeyRing(stored.Select(k => (protector.Unprotect(k.ProtectedSecret), k.ActivatesAt)).ToList(), time.GetUtcNow(), load);

    private static IDataProtector ProtectorOf(IDataProtectionProvider dataProtection) =>
        dataProtection.CreateProtector("Consent.ConsentCookie.SigningKey");

    private static SigningKey NewKey(IDataProtector protector, DateTime now, DateTime activatesAt) => new()
    {
        Purpose = KeyPurpose,
        ProtectedSecret = protector.Protect(RandomNumberGenerator.GetBytes(32)),
        CreatedAt = now,
        ActivatesAt = activatesAt,
    };

    /// <summary>Creates the first signing key; a start-up step of <see cref="ConsentDatabase.InitializeAsync"/>.</summary>
    internal static async Task EnsureKeyAsync(ConsentDbContext db, IDataProtectionProvider dataProtection, DateTime now, CancellationToken ct)
    {
        if (await db.SigningKeys.AnyAsync(k => k.Purpose == KeyPurpose, ct)) return;
        db.SigningKeys.Add(NewKey(ProtectorOf(dataProtection), now, now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The keys of the purpose, newest first, as read at <see cref="ReadAt"/> by the <see cref="Load"/>-th load.</summary>
    private sealed record KeyRing(IReadOnlyList<(byte[] Secret, DateTime ActivatesAt)> Keys, DateTimeOffset ReadAt, long Load)
    {
        public IEnumerable<byte[]> Secrets => Keys.Select(k => k.Secret);

        /// <summary>The newest key already active; the oldest if none is (a clock set back).</summary>
        public byte[] SigningSecret(DateTime now) =>
            Keys.FirstOrDefault(k => k.ActivatesAt <= now).Secret ?? Keys[^1].Secret;
    }

    [LoggerMessage(EventId = 2020, EventName = "CookieKeysReloadFailed", Level = LogLevel.Warning,
        Message = "Could not read the consent cookie's signing keys again; the kept ones stay in use")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2021, EventName = "CookieKeysReadForCookieFailed", Level = LogLevel.Warning,
        Message = "Could not read the consent cookie's signing keys for a cookie no kept key verifies; such cookies read as no decision, and the keys are not read for them again for a minute")]
    private static partial void LogReloadForCookieFailed(ILogger logger, Exception exception);
}
