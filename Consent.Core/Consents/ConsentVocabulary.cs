namespace Consent.Core.Consents;

/// <summary>
/// The one set of names a decision travels under, in the form's fields and the API's JSON alike (kebab-case).
/// Only these exact names are read: not the C# names, not numbers, not another case.
/// </summary>
public static class ConsentVocabulary
{
    public const string Methods = "accept-all, reject-all, custom, withdrawal";
    public const string Sources = "banner, preference-center or placeholder";

    public static string Name(ConsentMethod method) => method switch
    {
        ConsentMethod.AcceptAll => "accept-all",
        ConsentMethod.RejectAll => "reject-all",
        ConsentMethod.Custom => "custom",
        ConsentMethod.Withdrawal => "withdrawal",
        // Made by the center when a visitor erases their history, never sent as a choice.
        ConsentMethod.Erasure => "erasure",
        ConsentMethod.Expiry => "expiry",
        _ => throw new ArgumentOutOfRangeException(nameof(method)),
    };

    public static string Name(ConsentSource source) => source switch
    {
        ConsentSource.Banner => "banner",
        ConsentSource.PreferenceCenter => "preference-center",
        ConsentSource.Placeholder => "placeholder",
        // A member's e-mails: recorded by the center, never sent as a cookie choice.
        ConsentSource.MemberPrivacy => "member-privacy",
        ConsentSource.Unsubscribe => "unsubscribe",
        ConsentSource.MemberRetention => "member-retention",
        ConsentSource.RightsRequest => "rights-request",
        _ => throw new ArgumentOutOfRangeException(nameof(source)),
    };

    /// <summary>Any method a stored record can have, the center's own (erasure, expiry) included: for reading back what was logged, never for input.</summary>
    public static ConsentMethod? StoredMethod(string? name) => Enum.GetValues<ConsentMethod>().Cast<ConsentMethod?>().FirstOrDefault(m => Name(m!.Value) == name);

    /// <summary>Any source a stored record can have, the members' included: for reading back what was logged, never for input.</summary>
    public static ConsentSource? StoredSource(string? name) => Enum.GetValues<ConsentSource>().Cast<ConsentSource?>().FirstOrDefault(s => Name(s!.Value) == name);

    /// <summary>Whether a record is about a member's e-mails rather than cookies: kept out of the cookie statistics and retention.</summary>
    public static bool IsCommunication(ConsentSource source) =>
        source is ConsentSource.MemberPrivacy or ConsentSource.Unsubscribe or ConsentSource.MemberRetention or ConsentSource.RightsRequest;

    public static ConsentMethod? Method(string? name) => name switch
    {
        "accept-all" => ConsentMethod.AcceptAll,
        "reject-all" => ConsentMethod.RejectAll,
        "custom" => ConsentMethod.Custom,
        "withdrawal" => ConsentMethod.Withdrawal,
        _ => null,
    };

    public static ConsentSource? Source(string? name) => name switch
    {
        "banner" => ConsentSource.Banner,
        "preference-center" => ConsentSource.PreferenceCenter,
        "placeholder" => ConsentSource.Placeholder,
        _ => null,
    };
}
