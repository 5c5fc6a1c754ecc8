using System.Text.Json;
using Consent.Core.Audit;
using Consent.Core.Consents;
using Consent.Core.Persistence;
using Consent.Core.Policies;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.ConsentMode;

/// <summary>
/// The mode and the mapping from catalogue categories (by key, in catalogue order) to Google's consent types:
/// what the pages and the API need to tell Google's tags what the visitor allowed.
/// </summary>
public sealed record GoogleConsentModeConfig(GoogleConsentMode Mode, IReadOnlyDictionary<string, IReadOnlyList<string>> Types)
{
    /// <summary>Before anything is known: every type denied but <see cref="GoogleConsentTypes.AlwaysGranted"/>.</summary>
    public static IReadOnlyDictionary<string, string> DefaultState() =>
        GoogleConsentTypes.All.ToDictionary(t => t, t => t == GoogleConsentTypes.AlwaysGranted ? "granted" : "denied");

    /// <summary>
    /// The state for a visitor who granted <paramref name="grantedCategories"/>: a type is granted when any of
    /// them maps it (and <see cref="GoogleConsentTypes.AlwaysGranted"/> always is). Every type is named, so an
    /// update also takes back what a withdrawal no longer grants.
    /// </summary>
    public IReadOnlyDictionary<string, string> UpdateState(IEnumerable<string> grantedCategories)
    {
        var granted = grantedCategories.SelectMany(k => Types.TryGetValue(k, out var types) ? types : []).ToHashSet();
        granted.Add(GoogleConsentTypes.AlwaysGranted);
        return GoogleConsentTypes.All.ToDictionary(t => t, t => granted.Contains(t) ? "granted" : "denied");
    }

    /// <summary>
    /// The inline script a page runs before any other: it defines <c>gtag</c>, sets the defaults and, when
    /// the visitor's state is settled (a decision or an honoured privacy signal), updates them. Null in mode Off.
    /// Every page after a choice is a fresh response (the form post answers 303), so the update follows each decision.
    /// </summary>
    public string? InlineScript(CurrentConsent? consent)
    {
        if (Mode == GoogleConsentMode.Off) return null;
        var defaults = DefaultState().ToDictionary(p => p.Key, p => (object)p.Value);
        defaults["wait_for_update"] = 500;
        var script = "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
            + $"gtag('consent','default',{JsonSerializer.Serialize(defaults)});";
        if (consent is { IsSettled: true })
        {
            script += $"gtag('consent','update',{JsonSerializer.Serialize(UpdateState(consent.Granted))});";
        }
        return script;
    }
}

/// <summary>
/// Google Consent Mode v2: changes the mode (a setting). Visitors' pages read the mode and the category mapping (on each
/// category) from the <see cref="Snapshot.CenterSnapshot"/>.
/// </summary>
public sealed class GoogleConsentModeService(
    IDbContextFactory<ConsentDbContext> dbFactory,
    IValidator<GoogleConsentModeInput> validator,
    ChangeFeed changes,
    TimeProvider time)
{
    /// <summary>Changes the mode, with an audit entry in the same save, like the other settings.</summary>
    public async Task SaveModeAsync(GoogleConsentModeInput input, string actor, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(actor);
        await validator.ValidateAndThrowAsync(input, ct);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var row = await db.ConsentSettings.SingleAsync(s => s.Id == ConsentSettings.SingleId, ct);
        var before = new { GoogleConsentMode = row.GoogleConsentMode.ToString() };
        var now = time.GetUtcNow().UtcDateTime;
        row.GoogleConsentMode = input.Mode;
        row.UpdatedAt = now;
        row.UpdatedBy = actor;
        AuditTrail.Record(db, now, actor, "settings.update", "Settings", "google-consent-mode", before,
            new { GoogleConsentMode = input.Mode.ToString() });
        await db.SaveChangesAsync(ct);
        await changes.AnnounceAsync(ChangeTopic.Settings);
    }
}
