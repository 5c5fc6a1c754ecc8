using Consent.Tests.Support;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Consent.Tests.Http;

/// <summary>The team center's circuit limits are the ones docs/deployment.md names, not the framework's unstated defaults.</summary>
public sealed class CircuitLimitsTests() : AppTest(TestEngine.Sqlite)
{
    [Fact]
    public void Circuits_keep_few_dropped_tabs_briefly_and_bound_what_a_client_holds_and_sends()
    {
        var circuits = app.Services.GetRequiredService<IOptions<CircuitOptions>>().Value;

        Assert.Equal(50, circuits.DisconnectedCircuitMaxRetained);
        Assert.Equal(TimeSpan.FromMinutes(2), circuits.DisconnectedCircuitRetentionPeriod);
        Assert.Equal(10, circuits.MaxBufferedUnacknowledgedRenderBatches);
        Assert.Equal(TimeSpan.FromSeconds(30), circuits.JSInteropDefaultCallTimeout);
        Assert.Equal(32 * 1024, HubOptions().MaximumReceiveMessageSize);
    }

    /// <summary>Blazor's hub type is internal; its options are the HubOptions&lt;ComponentHub&gt; that AddHubOptions configures.</summary>
    private HubOptions HubOptions()
    {
        var hub = typeof(CircuitOptions).Assembly.GetType("Microsoft.AspNetCore.Components.Server.ComponentHub", throwOnError: true)!;
        var options = app.Services.GetRequiredService(typeof(IOptions<>).MakeGenericType(typeof(HubOptions<>).MakeGenericType(hub)));
        return ((IOptions<HubOptions>)options).Value;
    }
}
