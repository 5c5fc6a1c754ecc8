using System.Text.RegularExpressions;
using Consent.Core.Persistence;
using FluentValidation;
using Microsoft.EntityFrameworkCore;

namespace Consent.Core.Policies;

/// <summary>What an Admin writes to publish a new policy version.</summary>
public sealed class PolicyPublication
{
    /// <summary>What changed, for visitors: the banner shows it on the first layer.</summary>
    public string? Summary { get; set; }

    /// <summary>Keys of the categories whose cookies or texts changed.</summary>
    public List<string> ChangedCategories { get; set; } = [];
}

public sealed partial class PolicyPublicationValidator : AbstractValidator<PolicyPublication>
{
    /// <summary>A summary shorter than this is not a sentence a visitor can act on ("Updated.").</summary>
    public const int MinSummary = 20;

    public PolicyPublicationValidator(IDbContextFactory<ConsentDbContext> dbFactory)
    {
        RuleFor(p => p.Summary)
            .Must(s => !string.IsNullOrWhiteSpace(s))
                .WithMessage("Write what changed, in a sentence or two for visitors: the banner shows it to everyone who chose before.")
            .DependentRules(() =>
            {
                RuleFor(p => p.Summary!.Trim())
                    .MinimumLength(MinSummary)
                        .WithMessage($"Write at least a full sentence ({MinSummary} characters or more) that tells visitors what changed, for example \"We added a video supplier to Social media.\"")
                    .MaximumLength(PolicyVersion.MaxSummary)
                        .WithMessage($"Keep the summary to {PolicyVersion.MaxSummary} characters at most: visitors read it in the banner before they choose.")
                    .Must(s => !Markup().IsMatch(s))
                        .WithMessage("Write the summary as plain text for visitors, without HTML tags.")
                    .OverridePropertyName(nameof(PolicyPublication.Summary));
            });

        RuleFor(p => p.ChangedCategories)
            .NotEmpty().WithMessage("Tick at least one category that changed, so visitors know what to look at again.");

        RuleForEach(p => p.ChangedCategories)
            .MustAsync(async (key, ct) =>
            {
                await using var db = await dbFactory.CreateDbContextAsync(ct);
                return await db.Categories.AnyAsync(c => c.Key == key, ct);
            })
            .WithMessage((_, key) => $"There is no category \"{key}\" in the catalogue; tick only categories that exist.")
            .OverridePropertyName(nameof(PolicyPublication.ChangedCategories));
    }

    [GeneratedRegex("<[a-zA-Z/!]")]
    private static partial Regex Markup();
}
