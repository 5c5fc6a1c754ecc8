using System.Globalization;
using System.Text;
using Consent.Core.Consents;
using Consent.Core.Log.Checkpoints;

namespace Consent.Core.Log.Receipts;

/// <summary>
/// Checks a receipt offline, with nothing but the log's verifier keys: its fields rebuild the logged leaf, the visitor id and
/// salt give its commitment, the leaf's path leads to the root of a checkpoint one of the keys signed, and a timestamp token,
/// if any, stamps that note. The first failure is thrown as a <see cref="ReceiptException"/> naming what does not match.
/// </summary>
public static class ReceiptVerifier
{
    public static VerifiedReceipt Verify(byte[] json, IReadOnlyCollection<NoteVerifier> keys) => Verify(ReceiptJson.Parse(json), keys);

    public static VerifiedReceipt Verify(Receipt receipt, IReadOnlyCollection<NoteVerifier> keys)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        if (keys.Count == 0) throw new ReceiptException("No verifier key was given: give the log's key, as /log/key serves it.");
        if (receipt.Version != Receipt.KantaraVersion) throw new ReceiptException($"version is \"{receipt.Version}\"; this verifier reads receipts of version {Receipt.KantaraVersion}.");

        var proof = receipt.Proof;
        CompareWithLeaf(RebuiltLeaf(receipt), proof.Leaf);
        var visitorChecked = CheckVisitor(receipt);

        var leafHash = MerkleTree.LeafHash(Encoding.UTF8.GetBytes(proof.Leaf));
        if (!Base64(proof.LeafHash, "proof.leafHash").AsSpan().SequenceEqual(leafHash))
        {
            throw new ReceiptException("proof.leafHash is not the hash of the logged record (proof.leaf).");
        }

        var (note, checkpoint) = OpenCheckpoint(proof.Checkpoint, keys);
        var signer = note.Verified[0];
        var key = keys.First(k => k.Name == signer.KeyName && k.KeyId == signer.KeyId);
        if (proof.KeyName != key.Name) throw new ReceiptException($"proof.keyName says \"{proof.KeyName}\", but the checkpoint is signed by key {key.Name}.");
        if (receipt.PublicKey != key.KeyText) throw new ReceiptException($"publicKey is not the key that signed the checkpoint ({key.KeyText}).");
        if (proof.TreeSize != checkpoint.TreeSize)
        {
            throw new ReceiptException($"proof.treeSize is {proof.TreeSize}, but the checkpoint is of a tree of {checkpoint.TreeSize} records.");
        }
        var path = proof.InclusionPath.Select((p, i) => Base64(p, $"proof.inclusionPath[{i}]")).ToList();
        if (!MerkleTree.VerifyInclusion(proof.LeafIndex, proof.TreeSize, leafHash, path, checkpoint.RootHash))
        {
            throw new ReceiptException($"The inclusion proof does not lead to the checkpoint's root: with this path, record {receipt.ConsentId} is not leaf {proof.LeafIndex} of the signed tree of {checkpoint.TreeSize} records.");
        }

        VerifiedTimestamp? timestamp = null;
        if (proof.TimestampToken is { } token)
        {
            try
            {
                timestamp = TimestampVerifier.Verify(Base64(token, "proof.timestampToken"), Encoding.UTF8.GetBytes(proof.Checkpoint));
            }
            catch (TimestampException e)
            {
                throw new ReceiptException($"The timestamp token does not hold for this checkpoint: {e.Message}");
            }
        }
        return new VerifiedReceipt(receipt.ConsentId, receipt.Purposes, proof.LeafIndex, proof.TreeSize, key.Name, visitorChecked, timestamp);
    }

    /// <summary>The leaf the receipt's fields say, through the same <see cref="LogLeaf.Text"/> the log appends with.</summary>
    private static string RebuiltLeaf(Receipt receipt)
    {
        var record = new ConsentRecord
        {
            Id = receipt.ConsentId,
            RecordedAt = Time(receipt.ConsentTimestamp, "consentTimestamp"),
            ExpiresAt = Time(receipt.ExpiresAt, "expiresAt"),
            PolicyVersion = receipt.PolicyVersion,
            Method = MethodOf(receipt.Method),
            Source = ConsentVocabulary.StoredSource(receipt.CollectionMethod)
                ?? throw new ReceiptException($"collectionMethod is \"{receipt.CollectionMethod}\"; it is one of {StoredNames<ConsentSource>(ConsentVocabulary.Name)}."),
            Language = receipt.Language,
            BrowserFamily = receipt.Browser,
            Site = receipt.Site,
            VisitorCommitment = receipt.VisitorCommitment is null ? null : Hex(receipt.VisitorCommitment, "visitorCommitment"),
            Decisions = [.. receipt.Purposes.Select(p => new ConsentDecision { CategoryKey = p.CategoryKey, Granted = p.Granted })],
        };
        return LogLeaf.Text(record, Hex(receipt.PolicyHash, "policyHash"));
    }

    /// <summary>Line by line, so that the message names the field that differs.</summary>
    private static void CompareWithLeaf(string rebuilt, string logged)
    {
        var mine = rebuilt.Split('\n');
        var theirs = logged.Split('\n');
        for (var i = 0; i < Math.Max(mine.Length, theirs.Length); i++)
        {
            var said = i < mine.Length ? mine[i] : null;
            var leaf = i < theirs.Length ? theirs[i] : null;
            if (said == leaf) continue;
            if (said is null || leaf is null || said.StartsWith(Decision, StringComparison.Ordinal) != leaf.StartsWith(Decision, StringComparison.Ordinal))
            {
                throw new ReceiptException("The purposes do not match the logged record: it lists other categories.");
            }
            if (said.StartsWith(Decision, StringComparison.Ordinal))
            {
                // "decision +analytics": the sign, then the category's key.
                var key = said[(Decision.Length + 1)..];
                throw new ReceiptException(leaf[(Decision.Length + 1)..] == key
                    ? $"purpose {key} does not match the logged record: the receipt says {Answer(said)}, the log says {Answer(leaf)}."
                    : $"purpose {key} does not match the logged record, which has {leaf[(Decision.Length + 1)..]} in its place.");
            }
            var name = said.Split(' ', 2)[0];
            var field = FieldOf(name);
            var value = leaf.Split(' ', 2) is [var n, var v] && n == name ? $": the log says {v}" : "";
            throw new ReceiptException($"{field} does not match the logged record{value}.");
        }
    }

    private const string Decision = "decision ";

    private static string Answer(string decisionLine) => decisionLine[Decision.Length] == '+' ? "granted" : "denied";

    private static string FieldOf(string leafLine) => leafLine switch
    {
        "id" => "consentId",
        "recorded-at" => "consentTimestamp",
        "expires-at" => "expiresAt",
        "policy-version" => "policyVersion",
        "policy-hash" => "policyHash",
        "method" => "method",
        "source" => "collectionMethod",
        "language" => "language",
        "browser" => "browser",
        "site" => "site",
        "visitor" => "visitorCommitment",
        _ => $"The line \"{leafLine}\"",
    };

    /// <summary>Only the visitor's own receipt carries their id and salt; then they must give the logged commitment.</summary>
    private static bool CheckVisitor(Receipt receipt)
    {
        if (receipt.PiiPrincipalId is null && receipt.VisitorSalt is null) return false;
        if (receipt.PiiPrincipalId is null || receipt.VisitorSalt is null) throw new ReceiptException("piiPrincipalId and visitorSalt come together: one of them is missing.");
        if (receipt.VisitorCommitment is null) throw new ReceiptException("The receipt names a visitor, but the logged record has no visitor commitment.");
        var salt = Hex(receipt.VisitorSalt, "visitorSalt");
        if (salt.Length != VisitorCommitment.SaltSize || !ConsentCookie.IsVisitorId(receipt.PiiPrincipalId))
        {
            throw new ReceiptException("piiPrincipalId is a visitor id of 32 hexadecimal digits and visitorSalt 16 bytes in hexadecimal.");
        }
        if (!VisitorCommitment.Of(salt, receipt.PiiPrincipalId).AsSpan().SequenceEqual(Hex(receipt.VisitorCommitment, "visitorCommitment")))
        {
            throw new ReceiptException("piiPrincipalId and visitorSalt do not give the logged visitor commitment: this record is not this visitor's.");
        }
        return true;
    }

    private static (SignedNote Note, Checkpoint Checkpoint) OpenCheckpoint(string text, IReadOnlyCollection<NoteVerifier> keys)
    {
        var names = string.Join(", ", keys.Select(k => k.Name));
        try
        {
            var note = SignedNote.Open(text, keys);
            return (note, Checkpoint.Parse(note.Text));
        }
        catch (SignedNoteException e)
        {
            throw new ReceiptException($"The checkpoint is not signed by key {names}: {e.Message}");
        }
    }

    private static ConsentMethod MethodOf(string name) =>
        ConsentVocabulary.StoredMethod(name) ?? throw new ReceiptException($"method is \"{name}\"; it is one of {StoredNames<ConsentMethod>(ConsentVocabulary.Name)}.");

    private static string StoredNames<T>(Func<T, string> name) where T : struct, Enum => string.Join(", ", Enum.GetValues<T>().Select(name));

    private static DateTime Time(string text, string field) =>
        DateTime.TryParseExact(text, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var time)
            ? time : throw new ReceiptException($"{field} is \"{text}\"; it is a UTC time with six decimals, such as 2026-12-01T17:59:44.123456Z.");

    private static byte[] Hex(string text, string field) =>
        text.Length % 2 == 0 && text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')
            ? Convert.FromHexString(text) : throw new ReceiptException($"{field} is not lower-case hexadecimal.");

    private static byte[] Base64(string text, string field)
    {
        var buffer = new byte[text.Length / 4 * 3 + 3];
        return Convert.TryFromBase64String(text, buffer, out var written) && Convert.ToBase64String(buffer, 0, written) == text
            ? buffer[..written] : throw new ReceiptException($"{field} is not base64.");
    }
}
