using Bunit;
using Bunit.TestDoubles;
using Microsoft.Extensions.DependencyInjection;

namespace Consent.Tests.Support;

/// <summary>
/// Base of bUnit tests of a privacy-team page that needs the app's own services (the team's Identity): the real app
/// (<see cref="ConsentAppFactory"/>) on a SQLite file of its own, seen by a signed-in member of the team.
/// </summary>
public abstract class AppPageTest(string user, string role) : IAsyncLifetime
{
    protected readonly BunitContext bunit = new();
    protected ConsentAppFactory app = null!;
    protected BunitAuthorizationContext auth = null!;
    private AsyncServiceScope scope;

    /// <summary>Configuration the test class needs before the app starts (<see cref="ConsentAppFactory.Settings"/>).</summary>
    protected virtual Task ConfigureAsync(IDictionary<string, string> settings) => Task.CompletedTask;

    public async ValueTask InitializeAsync()
    {
        app = new ConsentAppFactory(await ScratchDatabase.CreateAsync(TestEngine.Sqlite));
        await ConfigureAsync(app.Settings);
        // A scope of the app, as a circuit has: the framework's scoped services resolve, the app's singletons are the app's.
        scope = app.Services.CreateAsyncScope();
        auth = bunit.UseTeamCenter(scope.ServiceProvider, user, role);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        await scope.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }
}
