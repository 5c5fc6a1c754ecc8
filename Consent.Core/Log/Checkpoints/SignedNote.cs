using System.Buffers.Binary;
using System.Text;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// A C2SP signed note (https://c2sp.org/signed-note): a text ending in a newline, a blank line, then one line
/// <c>— name base64(key id || signature)</c> per signature. <see cref="Open(string, IEnumerable{NoteVerifier})"/>
/// returns only a note that a known key signed; signatures of unknown keys are kept aside, never trusted.
/// </summary>
public sealed class SignedNote
{
    /// <summary>Notes larger than this are refused before they are read; ours are a few hundred bytes.</summary>
    public const int MaxBytes = 128 * 1024;

    /// <summary>The spec asks verifiers to accept at least 16.</summary>
    public const int MaxSignatures = 100;

    private const string Dash = "\u2014 ";

    private SignedNote(string text, IReadOnlyList<NoteSignature> verified, IReadOnlyList<NoteSignature> unverified)
    {
        Text = text;
        Verified = verified;
        Unverified = unverified;
    }

    /// <summary>The signed text, with its final newline.</summary>
    public string Text { get; }

    /// <summary>The signatures a known key made, each key once.</summary>
    public IReadOnlyList<NoteSignature> Verified { get; }

    /// <summary>Signatures of keys not given to <see cref="Open(string, IEnumerable{NoteVerifier})"/>, unchecked.</summary>
    public IReadOnlyList<NoteSignature> Unverified { get; }

    /// <summary>The text followed by a blank line and each signer's signature line.</summary>
    public static string Sign(string text, params IEnumerable<NoteSigner> signers)
    {
        CheckText(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var note = new StringBuilder(text).Append('\n');
        var count = 0;
        foreach (var signer in signers)
        {
            var signature = new byte[4 + 64];
            BinaryPrimitives.WriteUInt32BigEndian(signature, signer.KeyId);
            signer.Sign(bytes).CopyTo(signature, 4);
            note.Append(Dash).Append(signer.Name).Append(' ').Append(Convert.ToBase64String(signature)).Append('\n');
            count++;
        }
        if (count == 0) throw new ArgumentException("A note needs at least one signer.", nameof(signers));
        return note.ToString();
    }

    public static SignedNote Open(string note, IEnumerable<NoteVerifier> verifiers)
    {
        ArgumentNullException.ThrowIfNull(note);
        // A char is at least one UTF-8 byte: longer strings are refused before they are encoded.
        if (note.Length > MaxBytes) throw TooLarge();
        if (!NoteText.IsWellFormed(note)) throw new SignedNoteException("The note is not valid UTF-8.");
        if (Encoding.UTF8.GetByteCount(note) > MaxBytes) throw TooLarge();
        return Read(note, verifiers);
    }

    public static SignedNote Open(ReadOnlySpan<byte> note, IEnumerable<NoteVerifier> verifiers)
    {
        if (note.Length > MaxBytes) throw TooLarge();
        string text;
        try
        {
            text = NoteText.StrictUtf8.GetString(note);
        }
        catch (DecoderFallbackException)
        {
            throw new SignedNoteException("The note is not valid UTF-8.");
        }
        return Read(text, verifiers);
    }

    private static SignedNote Read(string note, IEnumerable<NoteVerifier> verifiers)
    {
        CheckCharacters(note);
        var split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        if (split < 0) throw new SignedNoteException("The note has no blank line between its text and its signatures.");
        var text = note[..(split + 1)];
        var lines = note[(split + 2)..];
        if (lines.Length == 0) throw new SignedNoteException("The note has no signature line.");
        if (!lines.EndsWith('\n')) throw new SignedNoteException("The note's last signature line does not end in a newline.");

        var known = verifiers.ToList();
        var textBytes = Encoding.UTF8.GetBytes(text);
        var verified = new List<NoteSignature>();
        var unverified = new List<NoteSignature>();
        var signatures = lines[..^1].Split('\n');
        if (signatures.Length > MaxSignatures) throw new SignedNoteException($"The note has {signatures.Length} signatures; at most {MaxSignatures} are read.");
        for (var i = 0; i < signatures.Length; i++)
        {
            var signature = ParseLine(signatures[i], i + 1);
            var matching = known.Where(v => v.Name == signature.KeyName && v.KeyId == signature.KeyId).ToList();
            if (matching.Count > 1) throw new SignedNoteException($"The key {signature.KeyName}+{NoteText.Hex(signature.KeyId)} is given twice.");
            if (matching.Count == 0)
            {
                if (!unverified.Any(s => Same(s, signature))) unverified.Add(signature);
                continue;
            }
            if (!matching[0].Verify(textBytes, signature.Signature))
            {
                throw new SignedNoteException($"The signature of {signature.KeyName}+{NoteText.Hex(signature.KeyId)} does not verify: the note was changed or signed by another key.");
            }
            if (!verified.Any(s => s.KeyName == signature.KeyName && s.KeyId == signature.KeyId)) verified.Add(signature);
        }
        if (verified.Count == 0)
        {
            var signers = string.Join(", ", unverified.Select(s => $"{s.KeyName}+{NoteText.Hex(s.KeyId)}"));
            throw new SignedNoteException($"No signature of a known key: the note is signed by {signers}.");
        }
        return new SignedNote(text, verified, unverified);
    }

    private static NoteSignature ParseLine(string line, int number)
    {
        var space = line.IndexOf(' ', Dash.Length);
        if (!line.StartsWith(Dash, StringComparison.Ordinal) || space < 0) throw BadLine(number);
        var name = line[Dash.Length..space];
        if (!NoteText.IsValidKeyName(name)) throw new SignedNoteException($"Signature line {number} names the key \"{name}\", which is not a note key name.");
        if (!NoteText.TryDecodeBase64(line[(space + 1)..], out var bytes) || bytes.Length < 5) throw BadLine(number);
        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(bytes), bytes[4..]);
    }

    private static bool Same(NoteSignature a, NoteSignature b) =>
        a.KeyName == b.KeyName && a.KeyId == b.KeyId && a.Signature.AsSpan().SequenceEqual(b.Signature);

    private static void CheckText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n')) throw new SignedNoteException("A note's text ends in a newline.");
        if (!NoteText.IsWellFormed(text)) throw new SignedNoteException("The note is not valid UTF-8.");
        CheckCharacters(text);
    }

    private static void CheckCharacters(string note)
    {
        var control = note.AsSpan().IndexOfAnyInRange('\0', '\u001f');
        while (control >= 0 && note[control] == '\n')
        {
            var next = note.AsSpan(control + 1).IndexOfAnyInRange('\0', '\u001f');
            control = next < 0 ? -1 : control + 1 + next;
        }
        if (control >= 0) throw new SignedNoteException($"The note has the control character U+{(int)note[control]:X4} at position {control}; only newlines are allowed.");
    }

    private static SignedNoteException BadLine(int number) =>
        new($"Signature line {number} does not read \"— name base64(key id || signature)\".");

    private static SignedNoteException TooLarge() => new($"The note is larger than {MaxBytes / 1024} KiB.");
}
