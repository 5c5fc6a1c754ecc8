using Consent.Core.Log.Checkpoints;

namespace Consent.Tests.Core;

public class CheckpointTests
{
    private const string SpecExample = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";

    [Fact]
    public void The_spec_example_reads_and_writes_back_the_same_text()
    {
        var checkpoint = Checkpoint.Parse(SpecExample);

        Assert.Equal(("example.com/behind-the-sofa", 20852163L, 32), (checkpoint.Origin, checkpoint.TreeSize, checkpoint.RootHash.Length));
        Assert.Equal(SpecExample, checkpoint.ToText());
    }

    [Fact]
    public void An_empty_tree_is_size_zero()
    {
        var checkpoint = new Checkpoint("consent.example/log", 0, new byte[32]);

        Assert.Equal("consent.example/log\n0\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", checkpoint.ToText());
    }

    [Fact]
    public void A_signed_checkpoint_opens_with_the_verifier_and_reads_back()
    {
        using var signer = NoteSigner.Generate("consent.example/log");
        var root = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();

        var note = new Checkpoint("consent.example/log", 42, root).Sign(signer);
        var read = Checkpoint.Parse(SignedNote.Open(note, [signer.Verifier]).Text);

        Assert.Equal(("consent.example/log", 42L), (read.Origin, read.TreeSize));
        Assert.Equal(root, read.RootHash);
        Assert.StartsWith("consent.example/log\n42\nAAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\n\n— consent.example/log ", note);
    }

    [Fact]
    public void Extension_lines_are_kept_when_read()
    {
        var checkpoint = Checkpoint.Parse(SpecExample + "extension\n");

        Assert.Equal(["extension"], checkpoint.Extensions);
    }

    [Theory]
    [InlineData("example.com/log\n020852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n+5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n 5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "tree size")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2=\n", "root hash")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2J=\n", "root hash")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "root hash")]
    [InlineData("example.com/log\n5\n", "at least three lines")]
    [InlineData("\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "origin")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", "extension lines")]
    [InlineData("example.com/log\n5\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "ends in a newline")]
    public void A_malformed_checkpoint_is_refused_with_the_line_at_fault(string text, string reason)
    {
        var refused = Assert.Throws<SignedNoteException>(() => Checkpoint.Parse(text));

        Assert.Contains(reason, refused.Message);
    }
}
