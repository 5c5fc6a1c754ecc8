using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using Consent.App.Visitors;
using Consent.Core.Consents;
using Consent.Core.Policies;
using Consent.Core.Snapshot;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Support;

/// <summary>Base of bUnit tests: a bUnit context and the component's real services on a fresh SQLite file of its own.</summary>
public abstract class ComponentTest : IAsyncLifetime
{
    protected readonly BunitContext bunit = new();
    protected TestDatabase db = null!;

    /// <summary>Consent configuration the test database starts with (section <c>Consent</c>), if any.</summary>
    protected virtual Dictionary<string, string?>? ConsentSettings => null;

    public async ValueTask InitializeAsync()
    {
        db = await TestDatabase.CreateAsync(ConsentSettings);
        Arrange();
    }

    /// <summary>Registers what the component under test needs, once the database exists.</summary>
    protected abstract void Arrange();

    public async ValueTask DisposeAsync()
    {
        await bunit.DisposeAsync();
        await db.DisposeAsync();
    }
}

/// <summary>Base of bUnit tests of a privacy-team page, seen by a signed-in member (see <see cref="TeamCenterComponents.UseTeamCenter"/>).</summary>
public abstract class TeamPageTest(string user, string role) : ComponentTest
{
    protected BunitAuthorizationContext auth = null!;

    protected override void Arrange() => auth = bunit.UseTeamCenter(db, user, role);
}

/// <summary>Base of bUnit tests of a visitor component: the visitor texts and the test database's real services, no MudBlazor.</summary>
public abstract class VisitorComponentTest : ComponentTest
{
    protected override void Arrange()
    {
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        // The visitor texts (Consent.Core/Languages), read in the test thread's culture, as the app reads them in the request's.
        bunit.Services.AddLocalization();
        bunit.Services.AddFallbackServiceProvider(db.Services);
        // The request the component is rendered for, as the app reads it once (Visitors/VisitorRequest): the address the test
        // navigated to, in the test thread's culture, answered from the database's snapshot.
        db.Get<SnapshotService>().GetAsync().AsTask().GetAwaiter().GetResult();
        bunit.Services.AddScoped(sp =>
        {
            var uri = new Uri(sp.GetRequiredService<NavigationManager>().Uri);
            var http = new DefaultHttpContext();
            http.Request.Path = uri.AbsolutePath;
            http.Request.QueryString = new QueryString(uri.Query);
            http.Features.Set<IRequestCultureFeature>(new RequestCultureFeature(new RequestCulture(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture), null));
            return new VisitorRequest(http, db.Get<SnapshotService>().Current, db.Get<ConsentService>(), db.Get<IOptions<ConsentOptions>>().Value);
        });
    }
}
