using Consent.Core.Policies;
using Consent.Core.Snapshot;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Options;

namespace Consent.Core.Consents;

/// <summary>
/// A decision as a banner, the preference center or the API submits it. Categories not named
/// in <see cref="Granted"/> are recorded as denied; required categories are always granted.
/// </summary>
public sealed class ConsentSubmission
{
    public ConsentMethod? Method { get; set; }
    public ConsentSource? Source { get; set; }

    /// <summary>The policy version the visitor was shown.</summary>
    public int? PolicyVersion { get; set; }

    public List<string> Granted { get; set; } = [];

    /// <summary>Categories explicitly refused; optional, for callers that list them.</summary>
    public List<string> Denied { get; set; } = [];

    /// <summary>The configured site (<c>Consent:Sites</c>) whose page made the choice; null on the center's own pages.</summary>
    public string? Site { get; set; }

    /// <summary>The language the banner was shown in, as the embedding script says; the center's own pages know it themselves.</summary>
    public string? Language { get; set; }
}

public sealed class ConsentSubmissionValidator : AbstractValidator<ConsentSubmission>
{
    /// <summary>Error code of a choice that answers a policy version since replaced: the visitor must be asked again.</summary>
    public const string SupersededPolicyVersion = "SupersededPolicyVersion";

    public ConsentSubmissionValidator(SnapshotService snapshots, IOptions<ConsentOptions> options)
    {
        RuleFor(s => s.Method)
            .NotNull().WithMessage("Say how the choice was made: accept all, reject all, custom or withdrawal.")
            .IsInEnum().WithMessage("Say how the choice was made: accept all, reject all, custom or withdrawal.");
        RuleFor(s => s.Source)
            .NotNull().WithMessage("Say where the choice was made: banner, preference center or placeholder.")
            .IsInEnum().WithMessage("Say where the choice was made: banner, preference center or placeholder.");
        RuleFor(s => s.PolicyVersion)
            .NotNull().WithMessage("Say which policy version the visitor was shown.")
            .GreaterThan(0).WithMessage("policyVersion must be a published version: 1 or more.");
        RuleFor(s => s.Site)
            .Must(site => site is null || options.Value.Sites.ContainsKey(site))
            .WithMessage(s => options.Value.Sites.Count == 0
                ? $"There is no site \"{s.Site}\": this center has no other sites configured (Consent:Sites)."
                : $"There is no site \"{s.Site}\"; the configured sites are {string.Join(", ", options.Value.Sites.Keys.Order(StringComparer.Ordinal))}.");

        RuleFor(s => s).CustomAsync(async (s, context, ct) =>
        {
            // The catalogue and policy version in memory: validating a choice reads no database.
            var snapshot = await snapshots.GetAsync(ct);
            var current = snapshot.PolicyVersion;

            if (s.PolicyVersion is { } answered && answered is > 0 && answered < current)
            {
                context.AddFailure(new ValidationFailure(nameof(s.PolicyVersion),
                    $"This choice answers policy version {answered}, but version {current} is current; the visitor must be asked again.")
                { ErrorCode = SupersededPolicyVersion });
            }
            else if (s.PolicyVersion is { } unknown && unknown > current)
            {
                context.AddFailure(nameof(s.PolicyVersion), $"Policy version {unknown} has not been published; the current version is {current}.");
            }
            // Sets, so that every check is linear in the lists; a list longer than the catalogue is refused before any key is looked at.
            var granted = KeysOf(s.Granted, nameof(s.Granted), snapshot, context);
            var denied = KeysOf(s.Denied, nameof(s.Denied), snapshot, context);
            foreach (var category in s.Denied.Distinct().Select(snapshot.Category).Where(c => c is { IsRequired: true }))
            {
                context.AddFailure(nameof(s.Denied), $"{category!.Name} is always on; it cannot be refused.");
            }
            foreach (var key in s.Granted.Where(denied.Contains).Distinct())
            {
                context.AddFailure(nameof(s.Denied), $"\"{key}\" is both granted and denied; choose one.");
            }
            if (s.Method is ConsentMethod.RejectAll or ConsentMethod.Withdrawal)
            {
                foreach (var category in granted.Select(snapshot.Category).Where(c => c is { IsRequired: false }))
                {
                    context.AddFailure(nameof(s.Granted), $"Rejecting all cannot grant {category!.Name}.");
                }
            }
            if (s.Method is ConsentMethod.AcceptAll && s.Denied.Count > 0)
            {
                context.AddFailure(nameof(s.Denied), "Accepting all cannot deny a category; use a custom choice.");
            }
        });
    }

    /// <summary>A list's keys as a set, with a failure for a list longer than the catalogue, a key named twice or an unknown key.</summary>
    private static HashSet<string> KeysOf(List<string> keys, string field, CenterSnapshot snapshot, ValidationContext<ConsentSubmission> context)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        if (keys.Count > snapshot.Categories.Count)
        {
            context.AddFailure(field, $"{JsonName(field)} lists {keys.Count} categories, but the catalogue has {snapshot.Categories.Count}.");
            return set;
        }
        foreach (var key in keys)
        {
            if (!set.Add(key))
            {
                context.AddFailure(field, $"{JsonName(field)} names \"{key}\" more than once; name each category once.");
            }
            else if (snapshot.Category(key) is null)
            {
                context.AddFailure(field, $"There is no category \"{key}\"; the categories are {string.Join(", ", snapshot.Categories.Select(c => c.Key))}.");
            }
        }
        return set;
    }

    /// <summary>A property's name as the form and the JSON name the field (camelCase).</summary>
    internal static string JsonName(string property) => char.ToLowerInvariant(property[0]) + property[1..];
}
