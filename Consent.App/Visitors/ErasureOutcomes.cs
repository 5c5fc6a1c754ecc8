using System.Globalization;
using Consent.Core.Consents;
using Microsoft.AspNetCore.DataProtection;

namespace Consent.App.Visitors;

/// <summary>
/// Carries what an erasure did from its form post to the page that shows it, through the address: protected and short-lived, so a
/// link made by someone else cannot show a visitor an erasure that never happened.
/// </summary>
public sealed class ErasureOutcomes(IDataProtectionProvider dataProtection)
{
    public const string Parameter = "outcome";

    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly ITimeLimitedDataProtector protector =
        dataProtection.CreateProtector("Consent.VisitorRights.ErasureOutcome").ToTimeLimitedDataProtector();

    public string Protect(ConsentErasure erasure) =>
        protector.Protect(string.Create(CultureInfo.InvariantCulture, $"{erasure.Unlinked} {erasure.ErasureRecordId?.ToString("D") ?? "-"}"), Lifetime);

    /// <summary>The erasure the value names, or null for one this center did not make, or made more than an hour ago.</summary>
    public ConsentErasure? Read(string? value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 512) return null;
        string text;
        try
        {
            text = protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null;
        }
        var parts = text.Split(' ');
        return parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var unlinked)
            ? new ConsentErasure(unlinked, Guid.TryParse(parts[1], out var id) ? id : null)
            : null;
    }
}
