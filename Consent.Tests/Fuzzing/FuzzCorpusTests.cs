using Consent.Fuzz;

namespace Consent.Tests.Fuzzing;

/// <summary>
/// Every seed of bench/fuzz and every crash it has found (bench/Consent.Fuzz/seeds and crashes, one folder per harness),
/// run in-process through the harness that afl-fuzz runs, so a fixed crash stays fixed.
/// </summary>
public class FuzzCorpusTests
{
    private static readonly string Corpus = Path.Combine(AppContext.BaseDirectory, "Fuzzing");

    public static TheoryData<string, string> Cases()
    {
        var cases = new TheoryData<string, string>();
        foreach (var folder in HarnessFolders())
        {
            foreach (var file in Directory.EnumerateFiles(folder).Order(StringComparer.Ordinal))
            {
                cases.Add(Path.GetFileName(folder), Path.GetRelativePath(Corpus, file));
            }
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_seed_or_a_crash_once_found_keeps_every_property_of_its_harness(string harness, string file)
    {
        var input = File.ReadAllBytes(Path.Combine(Corpus, file));

        var broken = Record.Exception(() => FuzzTargets.All[harness](input));

        Assert.True(broken is null, $"{file}: {broken}");
    }

    [Fact]
    public void Every_harness_has_seeds_and_every_corpus_folder_names_a_harness()
    {
        var seeds = FuzzTargets.All.Keys.ToDictionary(h => h, h => Path.Combine(Corpus, "seeds", h));

        Assert.All(seeds, s => Assert.True(Directory.Exists(s.Value) && Directory.GetFiles(s.Value).Length >= 5, $"{s.Key} has fewer than 5 seeds"));
        Assert.All(HarnessFolders(), f => Assert.Contains(Path.GetFileName(f), FuzzTargets.All.Keys));
    }

    private static IEnumerable<string> HarnessFolders() =>
        new[] { "seeds", "crashes" }
            .Select(kind => Path.Combine(Corpus, kind))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateDirectories)
            .Order(StringComparer.Ordinal);
}
