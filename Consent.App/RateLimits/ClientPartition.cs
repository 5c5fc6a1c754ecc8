using System.Net;
using System.Net.Sockets;

namespace Consent.App.RateLimits;

/// <summary>
/// Which client a request counts against: its address as the forwarded-headers middleware left it (a trusted proxy's
/// X-Forwarded-For, else the connection's), with IPv6 grouped by /64, the block one household or office is given.
/// The key lives only in the limiters' memory: it is never stored and never logged.
/// </summary>
public static class ClientPartition
{
    /// <summary>Requests whose server gives no address (a Unix socket, the test server) share one partition.</summary>
    public const string Unknown = "unknown";

    public static string Of(HttpContext http) => Of(http.Connection.RemoteIpAddress);

    public static string Of(IPAddress? address)
    {
        if (address is null) return Unknown;
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4().ToString();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        // One IPv6 client usually holds a whole /64; counting single addresses would let it rotate through 2^64 of them.
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
