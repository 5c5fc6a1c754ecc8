namespace Consent.App.Endpoints;

/// <summary>A public endpoint's body, read only up to its limit: a larger one is refused before it is parsed or kept.</summary>
public static class RequestBody
{
    /// <summary>The body, or null when it is larger than <paramref name="limit"/> bytes (by Content-Length or as it arrives).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return null;
        var buffer = new byte[limit + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(length), ct)) > 0) length += read;
        return length > limit ? null : buffer[..length];
    }

}
