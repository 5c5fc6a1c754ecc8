using Consent.Core.Persistence;
using Consent.Core.Policies;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
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
}

public sealed class ConsentSubmissionValidator : AbstractValidator<ConsentSubmission>
{
    /// <summary>Error code of a choice that answers a policy version since replaced: the visitor must be asked again.</summary>
    public const string SupersededPolicyVersion = "SupersededPolicyVersion";

    public ConsentSubmissionValidator(IDbContextFactory<ConsentDbContext> dbFactory, IOptions<ConsentOptions> options)
    {
        RuleFor(s => s.Method)
            .NotNull().WithMessage("Say how the choice was made: accept all, reject all, custom or withdrawal.")
            .IsInEnum().WithMessage("Say how the choice was made: accept all, reject all, custom or withdrawal.");
        RuleFor(s => s.Source)
            .NotNull().WithMessage("Say where the choice was made: banner, preference center or placeholder.")
            .IsInEnum().WithMessage("Say where the choice was made: banner, preference center or placeholder.");
        RuleFor(s => s.PolicyVersion)
            .NotNull().WithMessage("Say which policy version the visitor was shown.");
        RuleFor(s => s.Site)
            .Must(site => site is null || options.Value.Sites.ContainsKey(site))
            .WithMessage(s => options.Value.Sites.Count == 0
                ? $"There is no site \"{s.Site}\": this center has no other sites configured (Consent:Sites)."
                : $"There is no site \"{s.Site}\"; the configured sites are {string.Join(", ", options.Value.Sites.Keys.Order(StringComparer.Ordinal))}.");

        RuleFor(s => s).CustomAsync(async (s, context, ct) =>
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            var categories = await db.Categories.AsNoTracking().ToDictionaryAsync(c => c.Key, ct);
            var current = await db.PolicyVersions.MaxAsync(p => p.Number, ct);

            if (s.PolicyVersion is { } answered && answered < current)
            {
                context.AddFailure(new ValidationFailure(nameof(s.PolicyVersion),
                    $"This choice answers policy version {answered}, but version {current} is current; the visitor must be asked again.")
                { ErrorCode = SupersededPolicyVersion });
            }
            else if (s.PolicyVersion is { } unknown && unknown > current)
            {
                context.AddFailure(nameof(s.PolicyVersion), $"Policy version {unknown} has not been published; the current version is {current}.");
            }
            foreach (var key in s.Granted.Concat(s.Denied).Distinct().Where(k => !categories.ContainsKey(k)))
            {
                context.AddFailure(s.Granted.Contains(key) ? nameof(s.Granted) : nameof(s.Denied),
                    $"There is no category \"{key}\"; the categories are {string.Join(", ", categories.Keys)}.");
            }
            foreach (var key in s.Denied.Where(k => categories.TryGetValue(k, out var c) && c.IsRequired))
            {
                context.AddFailure(nameof(s.Denied), $"{categories[key].Name} is always on; it cannot be refused.");
            }
            foreach (var key in s.Granted.Intersect(s.Denied))
            {
                context.AddFailure(nameof(s.Denied), $"\"{key}\" is both granted and denied; choose one.");
            }
            if (s.Method is ConsentMethod.RejectAll or ConsentMethod.Withdrawal)
            {
                foreach (var key in s.Granted.Where(k => categories.TryGetValue(k, out var c) && !c.IsRequired))
                {
                    context.AddFailure(nameof(s.Granted), $"Rejecting all cannot grant {categories[key].Name}.");
                }
            }
            if (s.Method is ConsentMethod.AcceptAll && s.Denied.Count > 0)
            {
                context.AddFailure(nameof(s.Denied), "Accepting all cannot deny a category; use a custom choice.");
            }
        });
    }
}
