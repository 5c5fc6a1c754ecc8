using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Consent.Core.Log.Receipts;

/// <summary>A receipt as JSON: indented camelCase to write, strictly to read (every field present, no unknown one), size capped first.</summary>
public static class ReceiptJson
{
    /// <summary>A note (at most 128 KiB), a timestamp token (64 KiB, as base64) and a path of 64 hashes fit; ours are a few kilobytes.</summary>
    public const int MaxBytes = 256 * 1024;

    public const string ContentType = "application/json; charset=utf-8";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        // A file for people to read: "+", "'" and accented names as they are; it is never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static byte[] ToUtf8(Receipt receipt) => JsonSerializer.SerializeToUtf8Bytes(receipt, Options);

    /// <summary>Reads a receipt; refuses one larger than <see cref="MaxBytes"/> before parsing.</summary>
    /// <exception cref="ReceiptException">Too large, not JSON, or not shaped as a receipt.</exception>
    public static Receipt Parse(ReadOnlySpan<byte> json)
    {
        if (json.Length > MaxBytes) throw new ReceiptException($"The receipt is larger than {MaxBytes / 1024} KiB; a consent receipt is a few kilobytes.");
        // A receipt saved again by an editor may start with a byte order mark, which JSON does not allow.
        if (json.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
        try
        {
            return JsonSerializer.Deserialize<Receipt>(json, Options) ?? throw new ReceiptException("The receipt is empty (JSON null).");
        }
        catch (JsonException e)
        {
            var at = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : $" at {e.Path}";
            throw new ReceiptException($"The file is not a consent receipt: its JSON does not read as one{at} (a field missing, unknown, of the wrong type, or the text cut off).");
        }
    }
}
