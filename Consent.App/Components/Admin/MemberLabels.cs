using Consent.Core.Members;

namespace Consent.App.Components.Admin;

/// <summary>How the team's member pages name purposes, directives and what is sent.</summary>
internal static class MemberLabels
{
    public static string Purpose(string purpose) => purpose switch
    {
        CommunicationPurposes.Newsletter => "Newsletter",
        CommunicationPurposes.Events => "Event invitations",
        CommunicationPurposes.PartnerEvents => "Partners' event invitations",
        CommunicationPurposes.Offers => "Product news and commercial offers",
        _ => purpose,
    };

    public static string Directive(DeathDirective directive) => directive switch
    {
        DeathDirective.Delete => "Delete the data",
        DeathDirective.Keep => "Keep the data",
        DeathDirective.PassToTrustedPerson => "Pass the data to a trusted person",
        _ => directive.ToString(),
    };

    public static string TrustedPerson(string? name, string? contact) =>
        name is null ? "—" : contact is null ? name : $"{name} ({contact})";

    /// <summary>Whether e-mails of the purpose go out, and if not although ticked, why.</summary>
    public static string Sends(CommunicationState state, string purpose) =>
        state.Sends(purpose) ? "Yes"
        : !state.IsOptedIn(purpose) ? "No"
        : state.Restricted ? "No: processing is restricted"
        : "No: the member objects to prospecting";
}
