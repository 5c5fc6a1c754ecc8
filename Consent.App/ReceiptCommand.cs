using Consent.Core.Log.Checkpoints;
using Consent.Core.Log.Receipts;

namespace Consent.App;

/// <summary>
/// <c>verify-receipt FILE --key KEYFILE</c>: checks a consent receipt offline against the log's verifier keys (a file as
/// <c>/log/key</c> serves it, one key a line), on a machine without the center's database or configuration.
/// </summary>
public static class ReceiptCommand
{
    public const string Name = "verify-receipt";

    private const string Usage = "Usage: verify-receipt RECEIPT.json --key KEYFILE   (KEYFILE: the log's verifier keys, as /log/key serves them)";

    /// <summary>Verifies and prints what was verified (exit code 0), or prints why not (1).</summary>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        // The receipt's file and --key KEYFILE, in either order.
        var at = Array.IndexOf(args, "--key");
        if (args.Length != 3 || at is < 0 or 2)
        {
            error.WriteLine(Usage);
            return 1;
        }
        var keyFile = args[at + 1];
        var file = args[at == 0 ? 2 : 0];
        try
        {
            var keys = ReadKeys(keyFile);
            var verified = ReceiptVerifier.Verify(ReadCapped(file, ReceiptJson.MaxBytes, "receipt"), keys);
            output.WriteLine($"The receipt verifies: consent {verified.ConsentId:D} is leaf {verified.LeafIndex} of the log's checkpoint of {verified.TreeSize} records, signed by key {verified.KeyName}.");
            output.WriteLine($"Purposes: {string.Join(", ", verified.Purposes.Select(p => $"{p.CategoryKey} {(p.Granted ? "granted" : "denied")}"))}.");
            output.WriteLine(verified.VisitorChecked ? "The visitor id and salt give the logged visitor commitment." : "The receipt names no visitor.");
            if (verified.Timestamp is { } stamp) output.WriteLine($"Timestamped {stamp.Time:u} by {stamp.Authority}.");
            return 0;
        }
        catch (ReceiptException e)
        {
            error.WriteLine($"The receipt does not verify: {e.Message}");
            return 1;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"The receipt was not verified: {e.Message}");
            return 1;
        }
    }

    private static List<NoteVerifier> ReadKeys(string path)
    {
        var text = ReadCapped(path, 64 * 1024, "key file");
        var keys = new List<NoteVerifier>();
        foreach (var line in System.Text.Encoding.UTF8.GetString(text).Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0))
        {
            try
            {
                keys.Add(NoteVerifier.Parse(line));
            }
            catch (SignedNoteException e)
            {
                throw new ReceiptException($"The key file {path} holds a line that is not a verifier key: {e.Message}");
            }
        }
        return keys.Count > 0 ? keys : throw new ReceiptException($"The key file {path} holds no key: give the log's key as /log/key serves it.");
    }

    private static byte[] ReadCapped(string path, int maxBytes, string what)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new ReceiptException($"There is no {what} at {path}.");
        if (info.Length > maxBytes) throw new ReceiptException($"The {what} {path} is larger than {maxBytes / 1024} KiB.");
        return File.ReadAllBytes(path);
    }
}
