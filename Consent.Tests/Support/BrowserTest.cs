namespace Consent.Tests.Support;

/// <summary>All browser tests share one app and one Chromium, and run one after another: the machine has two cores.</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSession>
{
    public const string Name = "Browser";
}

/// <summary>Base of the browser tests: each test's visitors are closed when it ends.</summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(BrowserSession session) : IAsyncLifetime
{
    protected BrowserSession Session { get; } = session;

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await Session.CloseVisitorsAsync();
}
