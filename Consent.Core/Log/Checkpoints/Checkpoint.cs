using System.Globalization;
using System.Text;

namespace Consent.Core.Log.Checkpoints;

/// <summary>
/// The text of a C2SP checkpoint (https://c2sp.org/tlog-checkpoint): origin, tree size and root hash, one per line.
/// We write no extension lines; reading keeps any it finds.
/// </summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash)
{
    public IReadOnlyList<string> Extensions { get; init; } = [];

    /// <summary><c>origin\nsize\nbase64(root)\n</c>, the text a checkpoint note signs.</summary>
    public string ToText()
    {
        CheckOrigin(Origin);
        if (TreeSize < 0) throw new SignedNoteException("A tree size is not negative.");
        if (RootHash is not { Length: 32 }) throw new SignedNoteException("A root hash is 32 bytes.");
        var text = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(RootHash)).Append('\n');
        foreach (var extension in Extensions) text.Append(extension).Append('\n');
        return text.ToString();
    }

    /// <summary>Signs the checkpoint: the whole signed note.</summary>
    public string Sign(NoteSigner signer) => SignedNote.Sign(ToText(), signer);

    /// <summary>Reads a checkpoint's text (a note's <see cref="SignedNote.Text"/>) strictly.</summary>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.EndsWith('\n')) throw new SignedNoteException("A checkpoint's text ends in a newline.");
        var lines = text[..^1].Split('\n');
        if (lines.Length < 3) throw new SignedNoteException("A checkpoint has at least three lines: origin, tree size and root hash.");
        CheckOrigin(lines[0]);
        var size = lines[1];
        if (size.Length == 0 || !size.All(char.IsAsciiDigit) || (size.Length > 1 && size[0] == '0')
            || !long.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out var treeSize))
        {
            throw new SignedNoteException($"The tree size \"{size}\" is not a decimal number without leading zeros.");
        }
        if (!NoteText.TryDecodeBase64(lines[2], out var root) || root.Length != 32)
        {
            throw new SignedNoteException("The root hash line is not the base64 of 32 bytes.");
        }
        if (lines.Skip(3).Any(l => l.Length == 0)) throw new SignedNoteException("A checkpoint's extension lines are not empty.");
        return new Checkpoint(lines[0], treeSize, root) { Extensions = lines[3..] };
    }

    private static void CheckOrigin(string origin)
    {
        if (string.IsNullOrEmpty(origin) || origin.Contains('\n')) throw new SignedNoteException("A checkpoint's origin is one non-empty line.");
    }
}
