namespace Consent.App;

/// <summary>The command-line switches an operator runs once (docs/deployment.md); the host's configuration never sees them.</summary>
public static class CenterCommands
{
    /// <summary>Creates or migrates the database, seeds it, and exits: the deploy step before instances start.</summary>
    public const string MigrateOnly = "--migrate-only";

    /// <summary>Adds a new consent-cookie signing key (active two minutes later) and exits.</summary>
    public const string RotateConsentCookieKey = "--rotate-consent-cookie-key";

    /// <summary>Adds a log checkpoint key under a new key name (signing two minutes later) and exits; older keys still verify.</summary>
    public const string RotateLogKey = "--rotate-log-key";

    /// <summary>Checks the whole verifiable log against its records and checkpoints (docs/log.md), prints the result and exits 0 or 1.</summary>
    public const string VerifyLog = "verify-log";

    /// <summary>The arguments without these switches: configuration would read a bare switch as a key taking the next argument.</summary>
    public static string[] Without(string[] args) => [.. args.Where(a => a is not (MigrateOnly or RotateConsentCookieKey or RotateLogKey or VerifyLog))];
}
