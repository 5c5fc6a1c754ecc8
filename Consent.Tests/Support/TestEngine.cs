namespace Consent.Tests.Support;

/// <summary>The database engine a test runs on: the Core and HTTP suites run on both.</summary>
public enum TestEngine
{
    Sqlite,
    Postgres,
}
