using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Consent.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Consent.Tests.Browser;

/// <summary>
/// A visitor never costs the server a Blazor circuit (issue 11), as the framework's own
/// <c>Microsoft.AspNetCore.Components.Server.Circuits</c> meter counts them; the team's center does open one.
/// </summary>
public class CircuitTests(BrowserSession session) : BrowserTest(session)
{
    private static readonly string[] VisitorPages = ["/", "/?cc=customize", "/cookies", "/privacy", "/preferences", "/preferences?cc=customize", "/no-such-page"];

    [Fact]
    public async Task No_visitor_page_in_either_language_opens_a_circuit_or_loads_Blazor_and_the_team_dashboard_opens_one()
    {
        Session.RequireBrowser();
        using var circuits = new CircuitMeter(Session.App.Services.GetRequiredService<IMeterFactory>());
        var loaded = new ConcurrentQueue<string>();
        var pages = new List<string>();

        foreach (var locale in new[] { "en-GB", "fr-FR" })
        {
            var page = await Session.NewVisitorAsync(locale: locale);
            page.Request += (_, request) => loaded.Enqueue(request.Url);
            page.WebSocket += (_, socket) => loaded.Enqueue(socket.Url);
            foreach (var path in VisitorPages) pages.Add(await OpenAsync(page, path));
            await page.GotoAsync("/preferences");
            await page.GetByTestId("preferences-form").Locator("button[value=custom]").ClickAsync();
            await page.WaitForChoiceSavedAsync();
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            pages.Add(await page.ContentAsync());
            foreach (var path in VisitorPages) pages.Add(await OpenAsync(page, path));
        }
        await Session.CloseVisitorsAsync();

        Assert.Equal(0, circuits.Opened);
        Assert.DoesNotContain(loaded, url => url.Contains("/_framework/") || url.Contains("/_blazor") || url.Contains("MudBlazor"));
        Assert.All(pages, html => Assert.DoesNotContain("_framework/", html));
        Assert.All(pages, html => Assert.DoesNotContain("MudBlazor", html));

        var team = await SignedInAdminAsync();
        await Expect(team.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();

        Assert.True(circuits.Opened >= 1, "The team's dashboard opened no circuit: the meter is not being heard, so this test proves nothing.");
    }

    /// <summary>Opens a page and waits until the network is quiet, so that a script it loaded would have had its chance to connect.</summary>
    private static async Task<string> OpenAsync(IPage page, string path)
    {
        await page.GotoAsync(path, new() { WaitUntil = WaitUntilState.NetworkIdle });
        return await page.ContentAsync();
    }

    private async Task<IPage> SignedInAdminAsync()
    {
        var page = await Session.NewVisitorAsync();
        await page.GotoAsync("/account/login");
        await page.GetByLabel("Email").FillAsync(ConsentAppFactory.AdminEmail);
        await page.GetByLabel("Password").FillAsync(ConsentAppFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForRedirectAsync("/admin");
        await page.WaitUntilTeamCenterInteractiveAsync();
        return page;
    }

    /// <summary>
    /// Hears the circuits meter of one app (its <see cref="IMeterFactory"/>: other test classes run apps of their own in
    /// this process) and counts the circuits it opened.
    /// </summary>
    private sealed class CircuitMeter : IDisposable
    {
        private const string MeterName = "Microsoft.AspNetCore.Components.Server.Circuits";
        private const string ActiveCircuits = "aspnetcore.components.circuit.active";
        private readonly MeterListener listener = new();
        private long opened;

        public CircuitMeter(IMeterFactory app)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == MeterName && instrument.Name == ActiveCircuits && ReferenceEquals(instrument.Meter.Scope, app))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, _, _) =>
            {
                if (value > 0) Interlocked.Add(ref opened, value);
            });
            listener.Start();
        }

        public long Opened => Interlocked.Read(ref opened);

        public void Dispose() => listener.Dispose();
    }
}
