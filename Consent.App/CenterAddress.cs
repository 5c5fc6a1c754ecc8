using Consent.Core.Policies;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Consent.App;

/// <summary>The center's address for links in mail sent with no request to take it from (the background jobs').</summary>
public static class CenterAddress
{
    /// <summary><c>Consent:PublicUrl</c>, else the first address the app listens on (a wildcard host read as localhost).</summary>
    public static Uri Of(ConsentOptions consent, IServer server)
    {
        if (!string.IsNullOrEmpty(consent.PublicUrl)) return new Uri(consent.PublicUrl);
        var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (listening is null) return new Uri("http://localhost/");
        var address = listening.Replace("://+", "://localhost").Replace("://*", "://localhost")
            .Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost");
        return Uri.TryCreate(address, UriKind.Absolute, out var uri) ? uri : new Uri("http://localhost/");
    }
}
