using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace Consent.Tests.Support;

/// <summary>The set-up every bUnit test of a privacy-team page shares.</summary>
public static class TeamCenterComponents
{
    /// <summary>
    /// MudBlazor, the real Core services of <paramref name="db"/> (its SQLite file and fake clock), a signed-in
    /// member with <paramref name="role"/>, and an interactive renderer, as the page has on a circuit.
    /// </summary>
    public static BunitAuthorizationContext UseTeamCenter(this BunitContext bunit, TestDatabase db, string user, string role) =>
        bunit.UseTeamCenter(db.Services, user, role);

    /// <summary>The same on any services: the real app's (<see cref="ConsentAppFactory"/>) for pages that need its Identity.</summary>
    public static BunitAuthorizationContext UseTeamCenter(this BunitContext bunit, IServiceProvider services, string user, string role)
    {
        bunit.JSInterop.Mode = JSRuntimeMode.Loose;
        bunit.Services.AddMudServices();
        // Pages that show the policy as visitors read it reuse the visitor's cookie table and its texts.
        bunit.Services.AddLocalization();
        bunit.Services.AddFallbackServiceProvider(services);
        var auth = bunit.AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        bunit.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        return auth;
    }
}
