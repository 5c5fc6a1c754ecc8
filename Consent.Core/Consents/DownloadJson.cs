using System.Text.Json;

namespace Consent.Core.Consents;

/// <summary>
/// The JSON of the files people download of their own data (their consent history, a member's export): the same bytes whether they
/// download it themselves or the DPO attaches it to a rights request.
/// </summary>
public static class DownloadJson
{
    public const string ContentType = "application/json";

    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static byte[] ToUtf8<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);
}
