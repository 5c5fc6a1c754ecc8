namespace Consent.Core.Persistence;

/// <summary>The database engine the center runs on, chosen by <c>Consent:Database:Provider</c>.</summary>
public enum DatabaseProvider
{
    /// <summary>One file beside the app: the embedded default, for one instance.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server: for several instances behind a load balancer.</summary>
    Postgres,
}
