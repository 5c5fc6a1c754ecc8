namespace Consent.App.RateLimits;

/// <summary>
/// Section <c>Consent:RateLimits</c>: how many requests one client (or, for sign-in, one account) may make per window.
/// The defaults suit a real site; <see cref="Enabled"/> false turns every limit off, for a load test from one machine.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "Consent:RateLimits";

    public bool Enabled { get; set; } = true;

    /// <summary>Choices recorded (<c>POST /consent</c>, <c>POST /api/v1/consents</c> and erasures, <c>POST /consent/erase</c>, together): a person makes a handful per visit; an office shares one address.</summary>
    public WindowLimit Choices { get; set; } = new() { PermitLimit = 30, WindowSeconds = 60 };

    /// <summary><c>GET /api/v1/config</c>: the embedded script fetches it at most once a minute per page of a site, the browser's cache answers the rest.</summary>
    public WindowLimit Config { get; set; } = new() { PermitLimit = 120, WindowSeconds = 60 };

    /// <summary><c>POST /api/v1/banner-views</c>: one per banner the embedded script shows, so one per page view of a visitor who has not decided.</summary>
    public WindowLimit BannerViews { get; set; } = new() { PermitLimit = 120, WindowSeconds = 60 };

    /// <summary>Sign-in attempts from one client, whatever the email.</summary>
    public WindowLimit SignIn { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };

    /// <summary>Sign-in attempts for one email from every client together, whether or not it has an account.</summary>
    public WindowLimit SignInPerAccount { get; set; } = new() { PermitLimit = 10, WindowSeconds = 900 };

    /// <summary>Posts of the members' forms other than sign-in (sign-up, new confirmation link, passwords, e-mail change) from one client.</summary>
    public WindowLimit MemberForms { get; set; } = new() { PermitLimit = 10, WindowSeconds = 900 };

    /// <summary>Account mails (confirmation, password reset, e-mail change) to one address, from every client together.</summary>
    public WindowLimit MemberMailsPerAddress { get; set; } = new() { PermitLimit = 5, WindowSeconds = 3600 };

    /// <summary>Posts of the rights-request form and its e-mail check (<c>/privacy/request</c>, a code, a new code) from one client.</summary>
    public WindowLimit RequestForms { get; set; } = new() { PermitLimit = 10, WindowSeconds = 900 };

    /// <summary>Requests filed with one address (each mails it a code), from every client together.</summary>
    public WindowLimit RequestMailsPerAddress { get; set; } = new() { PermitLimit = 5, WindowSeconds = 3600 };

    /// <summary>The team's CSV exports (<c>/admin/export/*</c>), which read a whole date range.</summary>
    public WindowLimit Exports { get; set; } = new() { PermitLimit = 10, WindowSeconds = 300 };

    /// <summary>Each limit with its configuration name, which is also its policy name.</summary>
    public IEnumerable<(string Name, WindowLimit Limit)> All() =>
    [
        (nameof(Choices), Choices), (nameof(Config), Config), (nameof(BannerViews), BannerViews), (nameof(SignIn), SignIn),
        (nameof(SignInPerAccount), SignInPerAccount), (nameof(Exports), Exports), (nameof(MemberForms), MemberForms),
        (nameof(MemberMailsPerAddress), MemberMailsPerAddress),
        (nameof(RequestForms), RequestForms), (nameof(RequestMailsPerAddress), RequestMailsPerAddress),
    ];
}
