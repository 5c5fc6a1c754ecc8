using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Consent.Core.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Consents;

/// <summary>What the consent cookie says: who decided, which record, which policy version, what was granted, and when.</summary>
public sealed record ConsentCookieState(string VisitorId, Guid ConsentId, int PolicyVersion, IReadOnlyList<string> Granted, DateTime RecordedAt);

/// <summary>
/// Writes and reads the first-party consent cookie. The value is readable
/// (<c>1.visitor.consent.policy.granted~keys.unixtime.signature</c>) and signed with HMAC-SHA256,
/// so a malformed or edited cookie reads as "no decision", never as an error.
/// </summary>
public sealed class ConsentCookie(IDbContextFactory<ConsentDbContext> dbFactory)
{
    public const string Name = "cc_consent";
    private const string Format = "1";
    private const string KeyPurpose = "consent-cookie";
    // PublicationOnly: a failed first read (a busy database) is tried again, not remembered.
    private readonly Lazy<byte[]> key = new(() => LoadKey(dbFactory), LazyThreadSafetyMode.PublicationOnly);

    public string Encode(ConsentCookieState state)
    {
        var payload = string.Join('.',
            Format,
            state.VisitorId,
            state.ConsentId.ToString("N"),
            state.PolicyVersion.ToString(CultureInfo.InvariantCulture),
            string.Join('~', state.Granted),
            new DateTimeOffset(state.RecordedAt, TimeSpan.Zero).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        return payload + "." + Sign(payload);
    }

    public ConsentCookieState? TryDecode(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 1024) return null;
        var cut = value.LastIndexOf('.');
        if (cut < 0) return null;
        var payload = value[..cut];
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(payload)), Encoding.ASCII.GetBytes(value[(cut + 1)..])))
            return null;

        var parts = payload.Split('.');
        if (parts.Length != 6 || parts[0] != Format || !IsVisitorId(parts[1])) return null;
        if (!Guid.TryParseExact(parts[2], "N", out var consentId)) return null;
        if (!int.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out var policy)) return null;
        if (!long.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return null;
        var granted = parts[4].Length == 0 ? [] : parts[4].Split('~');
        return new ConsentCookieState(parts[1], consentId, policy, granted, DateTimeOffset.FromUnixTimeSeconds(seconds).UtcDateTime);
    }

    /// <summary>A new random visitor id: 128 bits as 32 lower-case hex digits.</summary>
    public static string NewVisitorId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public static bool IsVisitorId(string? value) =>
        value is { Length: 32 } && value.All(char.IsAsciiHexDigitLower);

    private string Sign(string payload) =>
        Convert.ToBase64String(HMACSHA256.HashData(key.Value, Encoding.ASCII.GetBytes(payload)))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>Creates the signing key on first start; called by <see cref="ConsentDatabase.InitializeAsync"/>.</summary>
    internal static async Task EnsureKeyAsync(ConsentDbContext db, DateTime now, CancellationToken ct)
    {
        if (await db.SigningKeys.AnyAsync(k => k.Purpose == KeyPurpose, ct)) return;
        db.SigningKeys.Add(new SigningKey { Purpose = KeyPurpose, Key = RandomNumberGenerator.GetBytes(32), CreatedAt = now });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another instance created it at the same moment: theirs is used.
        }
    }

    private static byte[] LoadKey(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        using var db = dbFactory.CreateDbContext();
        return db.SigningKeys.AsNoTracking().SingleOrDefault(k => k.Purpose == KeyPurpose)?.Key
            ?? throw new InvalidOperationException("The consent cookie's signing key is missing: ConsentDatabase.InitializeAsync creates it on start.");
    }
}
