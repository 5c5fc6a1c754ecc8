namespace Consent.Core.PrivacyTeam;

/// <summary>
/// The privacy team's roles. Admin does everything and manages accounts; Analyst reads and exports; DPO reads and exports as an Analyst
/// does, and answers rights requests.
/// </summary>
public static class TeamRoles
{
    public const string Admin = "Admin";
    public const string Analyst = "Analyst";
    public const string Dpo = "DPO";

    public static readonly IReadOnlyList<string> All = [Admin, Analyst, Dpo];

    /// <summary>The roles that open the rights requests' inbox, and so may be assigned a request.</summary>
    public static readonly IReadOnlyList<string> AnswerRequests = [Dpo, Admin];
}

/// <summary>Authorization policies of the privacy-team center, named after what they allow.</summary>
public static class TeamPolicies
{
    /// <summary>Statistics, the consent log and exports: everyone on the team.</summary>
    public const string Read = "team.read";

    /// <summary>Catalogue, policy versions, settings, accounts and the audit trail: Admins only.</summary>
    public const string Manage = "team.manage";

    /// <summary>The rights requests' inbox and register: the DPO and Admins.</summary>
    public const string Requests = "team.requests";
}
