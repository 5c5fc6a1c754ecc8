using Consent.Core.Log.Checkpoints;

namespace Consent.Tests.Core;

/// <summary>The C2SP signed-note format, checked against the vectors of golang.org/x/mod/sumdb/note.</summary>
public class SignedNoteTests
{
    private const string PeterKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    private const string PeterSignerKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    private const string EnochKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    private const string Text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    private const string PeterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    private const string EnochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    private static readonly NoteVerifier Peter = NoteVerifier.Parse(PeterKey);
    private static readonly NoteVerifier Enoch = NoteVerifier.Parse(EnochKey);

    [Fact]
    public void The_vector_verifier_key_reads_and_writes_back_the_same_text()
    {
        var verifier = NoteVerifier.Parse(PeterKey);

        Assert.Equal(("PeterNeumann", 0xc74f20a3u, 32), (verifier.Name, verifier.KeyId, verifier.PublicKey.Length));
        Assert.Equal(PeterKey, verifier.KeyText);
    }

    [Fact]
    public void Every_part_and_every_one_character_change_of_a_verifier_key_is_refused()
    {
        var mangled = new List<string>();
        for (var i = 0; i <= PeterKey.Length; i++)
        {
            for (var j = i + 1; j <= PeterKey.Length; j++)
            {
                if (i != 0 || j != PeterKey.Length) mangled.Add(PeterKey[i..j]);
            }
        }
        for (var i = 0; i < PeterKey.Length; i++) mangled.Add(PeterKey[..i] + (char)(PeterKey[i] + 1) + PeterKey[(i + 1)..]);

        var accepted = mangled.Where(k => Refuses(() => NoteVerifier.Parse(k)) is null).ToList();

        Assert.Empty(accepted);
    }

    [Theory]
    [InlineData("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "not the hash")]
    [InlineData("PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==", "0x01 (Ed25519) and a 32-byte")]
    [InlineData("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "0x01 (Ed25519)")]
    [InlineData("PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T W", "0x01 (Ed25519)")]
    [InlineData("PeterNeumann+c74f20a3", "three parts")]
    [InlineData("PeterNeumann+c74f20+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "eight hex digits")]
    public void A_verifier_key_with_a_wrong_hash_or_key_is_refused_with_the_reason(string keyText, string reason)
    {
        var refused = Refuses(() => NoteVerifier.Parse(keyText));

        Assert.NotNull(refused);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void The_vector_signer_key_signs_the_vector_note_byte_for_byte()
    {
        using var signer = NoteSigner.Parse(PeterSignerKey);

        var note = SignedNote.Sign(Text, signer);

        Assert.Equal(Text + "\n" + PeterSig, note);
        Assert.Equal(PeterKey, signer.Verifier.KeyText);
        Assert.Equal(PeterSignerKey, signer.KeyText);
    }

    [Fact]
    public void Every_one_character_change_of_a_signer_key_is_refused()
    {
        var mangled = Enumerable.Range(0, PeterSignerKey.Length)
            .Select(i => PeterSignerKey[..i] + (char)(PeterSignerKey[i] + 1) + PeterSignerKey[(i + 1)..]);

        var accepted = mangled.Where(k => Refuses(() => NoteSigner.Parse(k).Dispose()) is null).ToList();

        Assert.Empty(accepted);
    }

    [Fact]
    public void A_note_opens_with_the_signatures_of_known_keys_and_keeps_unknown_ones_aside()
    {
        var note = SignedNote.Open(Text + "\n" + PeterSig + EnochSig, [Peter]);

        Assert.Equal(Text, note.Text);
        Assert.Equal(["PeterNeumann"], note.Verified.Select(s => s.KeyName));
        Assert.Equal(["EnochRoot"], note.Unverified.Select(s => s.KeyName));
    }

    [Fact]
    public void A_note_signed_by_two_known_keys_verifies_both()
    {
        var note = SignedNote.Open(Text + "\n" + PeterSig + EnochSig, [Peter, Enoch]);

        Assert.Equal([("PeterNeumann", 0xc74f20a3u), ("EnochRoot", 0xaf0cfe78u)], note.Verified.Select(s => (s.KeyName, s.KeyId)));
        Assert.Empty(note.Unverified);
    }

    [Fact]
    public void Repeated_signatures_count_once()
    {
        var note = SignedNote.Open(Text + "\n" + PeterSig + PeterSig + EnochSig + EnochSig, [Peter]);

        Assert.Single(note.Verified);
        Assert.Single(note.Unverified);
    }

    [Fact]
    public void A_note_without_a_signature_of_a_known_key_is_refused()
    {
        var refused = Refuses(() => SignedNote.Open(Text + "\n" + PeterSig + EnochSig, []));

        Assert.NotNull(refused);
        Assert.Equal("No signature of a known key: the note is signed by PeterNeumann+c74f20a3, EnochRoot+af0cfe78.", refused.Message);
    }

    [Fact]
    public void A_note_signed_by_another_key_is_refused()
    {
        using var other = NoteSigner.Generate("PeterNeumann");
        var note = SignedNote.Sign(Text, other);

        var refused = Refuses(() => SignedNote.Open(note, [Peter]));

        Assert.NotNull(refused);
        Assert.StartsWith("No signature of a known key", refused.Message);
    }

    [Fact]
    public void Another_keys_signature_under_the_known_name_and_id_is_refused()
    {
        using var other = NoteSigner.Generate("PeterNeumann");
        var forged = SignedNote.Sign(Text, other);
        var id = Convert.ToBase64String([0xc7, 0x4f, 0x20, 0xa3, .. Convert.FromBase64String(forged.Split(' ')[^1].TrimEnd('\n'))[4..]]);

        var refused = Refuses(() => SignedNote.Open(Text + "\n— PeterNeumann " + id + "\n", [Peter]));

        Assert.NotNull(refused);
        Assert.Equal("The signature of PeterNeumann+c74f20a3 does not verify: the note was changed or signed by another key.", refused.Message);
    }

    [Fact]
    public void A_changed_text_is_refused()
    {
        var refused = Refuses(() => SignedNote.Open(Text.Replace("problem,", "problem;") + "\n" + PeterSig, [Peter]));

        Assert.NotNull(refused);
        Assert.Contains("does not verify", refused.Message);
    }

    [Fact]
    public void A_mangled_signature_of_a_known_key_is_refused()
    {
        var refused = Refuses(() => SignedNote.Open(Text + "\n" + PeterSig[..60] + "ABCD" + PeterSig[60..], [Peter]));

        Assert.NotNull(refused);
        Assert.Contains("PeterNeumann+c74f20a3 does not verify", refused.Message);
    }

    [Fact]
    public void A_key_given_twice_is_refused_as_ambiguous()
    {
        var refused = Refuses(() => SignedNote.Open(Text + "\n" + EnochSig, [Enoch, Peter, Enoch]));

        Assert.NotNull(refused);
        Assert.Equal("The key EnochRoot+af0cfe78 is given twice.", refused.Message);
    }

    [Fact]
    public void More_signatures_than_the_cap_are_refused()
    {
        var refused = Refuses(() => SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, SignedNote.MaxSignatures + 1)), [Peter]));

        Assert.NotNull(refused);
        Assert.Equal($"The note has {SignedNote.MaxSignatures + 1} signatures; at most {SignedNote.MaxSignatures} are read.", refused.Message);
    }

    [Fact]
    public void Sixteen_signatures_are_read()
    {
        var note = SignedNote.Open(Text + "\n" + string.Concat(Enumerable.Repeat(PeterSig, 16)), [Peter]);

        Assert.Single(note.Verified);
    }

    [Fact]
    public void An_oversized_note_is_refused_before_it_is_read()
    {
        var huge = new string('a', SignedNote.MaxBytes) + "\n\n" + PeterSig;

        var asText = Refuses(() => SignedNote.Open(huge, [Peter]));
        var asBytes = Refuses(() => SignedNote.Open(System.Text.Encoding.UTF8.GetBytes(huge), [Peter]));

        Assert.Equal("The note is larger than 128 KiB.", asText?.Message);
        Assert.Equal("The note is larger than 128 KiB.", asBytes?.Message);
    }

    [Theory]
    [InlineData(Text, "no blank line")]
    [InlineData(Text + "\n", "no signature line")]
    [InlineData(Text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", "does not end in a newline")]
    [InlineData("\u0001" + Text + "\n" + PeterSig, "control character U+0001")]
    [InlineData(Text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "does not read")]
    [InlineData(Text + "\n" + "— Bad+Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "not a note key name")]
    [InlineData(Text + "\n" + PeterSig + "Unexpected line.\n", "Signature line 2 does not read")]
    [InlineData(Text + "\n" + "- PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "Signature line 1 does not read")]
    [InlineData(Text + "\n" + "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n", "Signature line 1 does not read")]
    [InlineData(Text + "\n" + "— PeterNeumann AAAA\n", "Signature line 1 does not read")]
    [InlineData(Text + "\r\n" + PeterSig, "control character U+000D")]
    public void A_malformed_note_is_refused_with_the_rule_it_breaks(string note, string reason)
    {
        var refused = Refuses(() => SignedNote.Open(note, [Peter]));

        Assert.NotNull(refused);
        Assert.Contains(reason, refused.Message);
    }

    [Fact]
    public void A_note_that_is_not_utf8_is_refused()
    {
        byte[] note = [0xff, .. System.Text.Encoding.UTF8.GetBytes(Text + "\n" + PeterSig)];

        var refused = Refuses(() => SignedNote.Open(note, [Peter]));

        Assert.Equal("The note is not valid UTF-8.", refused?.Message);
    }

    [Fact]
    public void A_text_with_empty_lines_is_separated_at_the_last_blank_line()
    {
        using var signer = NoteSigner.Generate("example.com/log");
        const string text = "first\n\nthird\n\n";

        var note = SignedNote.Open(SignedNote.Sign(text, signer), [signer.Verifier]);

        Assert.Equal(text, note.Text);
    }

    [Fact]
    public void A_text_not_ending_in_a_newline_is_not_signed()
    {
        using var signer = NoteSigner.Generate("example.com/log");

        var refused = Refuses(() => SignedNote.Sign("abc", signer));

        Assert.Equal("A note's text ends in a newline.", refused?.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a+b")]
    [InlineData("a b")]
    [InlineData("a\u00a0b")]
    [InlineData("a\nb")]
    [InlineData("a\tb")]
    public void A_key_name_with_a_space_plus_or_control_character_is_refused(string name)
    {
        var refused = Refuses(() => NoteSigner.Generate(name).Dispose());

        Assert.NotNull(refused);
        Assert.Contains("is not a note key name", refused.Message);
    }

    [Fact]
    public void A_generated_key_survives_export_of_its_seed_and_verifies_with_its_public_key_alone()
    {
        using var signer = NoteSigner.Generate("consent.example/log");
        var note = SignedNote.Sign("hello\n", signer);

        using var restored = NoteSigner.FromSeed("consent.example/log", signer.ExportSeed());
        var verifier = NoteVerifier.FromPublicKey("consent.example/log", signer.Verifier.PublicKey);

        Assert.Equal(note, SignedNote.Sign("hello\n", restored));
        Assert.Equal("hello\n", SignedNote.Open(note, [verifier]).Text);
        Assert.Equal(signer.Verifier.KeyText, NoteVerifier.Parse(verifier.KeyText).KeyText);
    }

    private static SignedNoteException? Refuses(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (SignedNoteException e)
        {
            return e;
        }
    }
}
