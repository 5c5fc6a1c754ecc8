using Consent.Tests.Support;

namespace Consent.Tests.Deployment;

/// <summary>
/// Two processes of the center on different ports share one PostgreSQL database, created by whichever starts first,
/// as two servers behind a load balancer would (docs/deployment.md).
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public const string AdminEmail = "privacy@example.org";
    public const string AdminPassword = "correct horse battery staple";

    public ScratchDatabase Database { get; private set; } = null!;
    public AppProcess A { get; private set; } = null!;
    public AppProcess B { get; private set; } = null!;

    /// <summary>Why the instances could not start here (no PostgreSQL server), for the tests to report.</summary>
    public string? Missing { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ScratchDatabase.ServerVariable)))
        {
            Missing = "no server";
            return;
        }
        // A name where no database exists yet: the two instances starting together must not both create it.
        Database = await ScratchDatabase.CreateAsync(TestEngine.Postgres, migrated: false);
        var environment = new Dictionary<string, string>
        {
            ["Consent__Database__Provider"] = "Postgres",
            ["ConnectionStrings__Consent"] = Database.ConnectionString,
            ["Consent__Admin__Email"] = AdminEmail,
            ["Consent__Admin__Password"] = AdminPassword,
        };
        A = new AppProcess(environment);
        B = new AppProcess(environment);
        await Task.WhenAll(A.StartAsync(), B.StartAsync());
    }

    public async ValueTask DisposeAsync()
    {
        if (Missing is not null) return;
        await A.DisposeAsync();
        await B.DisposeAsync();
        await Database.DisposeAsync();
    }
}
