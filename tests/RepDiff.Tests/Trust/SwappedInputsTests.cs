using System.Text.Json.Nodes;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Trust;

/// <summary>
/// A and B given the other way round, same seed: every direction's numbers move to the other direction and nothing else
/// changes. The chance levels and held-out p-values had drawn their random groups in the directions' order (A's first), so
/// a concept's p moved from 0.010 to 0.030 and the planted merge of two labels went unconfirmed (helper 92).
/// </summary>
public class SwappedInputsTests
{
    private readonly string dir = TestData.TempDir();

    private static string Other(string direction) => direction.EndsWith("_a", StringComparison.Ordinal) ? direction[..^2] + "_b"
        : direction.EndsWith("_b", StringComparison.Ordinal) ? direction[..^2] + "_a" : direction;

    [Theory]
    [InlineData("kmeans")]
    [InlineData("rdx")]
    public void GivenBThenAEveryFigureMovesToTheOtherDirection(string method)
    {
        var (a, b, labels) = SmallPair(dir, 200);
        JsonObject Results(string first, string second, string name)
        {
            string outDir = Path.Combine(dir, name);
            Assert.Equal(0, Run(method, first, second, "--labels", labels, "--validate", "--out", outDir).Code);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
        }
        var given = Results(a, b, "ab");
        var swapped = Results(b, a, "ba");

        foreach (string key in new[] { "bsr", "bsr_chance", "bsr_chance_sd", "bsr_mned_chance", "bsr_lsed_chance" })
            foreach (var (direction, value) in given["metrics"]![key]!.AsObject())
                Assert.Equal(value!.GetValue<double>(), swapped["metrics"]![key]![Other(direction)]!.GetValue<double>());
        var otherWay = swapped["directions"]!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>());
        int tested = 0;
        foreach (var direction in given["directions"]!.AsArray())
        {
            var concepts = direction!["concepts"]!.AsArray();
            var mirrored = otherWay[Other(direction["name"]!.GetValue<string>())]!["concepts"]!.AsArray();
            Assert.Equal(concepts.Count, mirrored.Count);
            for (int i = 0; i < concepts.Count; i++)
                foreach (string key in new[] { "members", "bsr_chance", "p_value", "p_adjusted", "held_out_score", "found_again" })
                {
                    Assert.Equal(concepts[i]![key]?.ToJsonString(), mirrored[i]![key]?.ToJsonString());
                    tested += key == "p_value" && concepts[i]![key] is not null ? 1 : 0;
                }
        }
        Assert.True(tested >= 4);
    }

    /// <summary>
    /// FINC with the sets the other way round: TEST's modes become REF's with the same numbers. Each set had been split and
    /// resampled by its slot (seed and seed + 1, streams 0 and 1) and the random groups drawn in the directions' order.
    /// </summary>
    [Fact]
    public void FincWithTheSetsTheOtherWayRoundMovesEveryFigureToTheOtherDirection()
    {
        string test = TestData.Fixture("finc_test.npy"), reference = TestData.Fixture("finc_ref.npy");
        JsonObject Results(string first, string second, string name)
        {
            string outDir = Path.Combine(dir, name);
            Assert.Equal(0, Run("finc", first, second, "--concepts", "3", "--trust", "--out", outDir).Code);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!.AsObject();
        }
        var given = Results(test, reference, "tr");
        var swapped = Results(reference, test, "rt");
        var otherWay = swapped["directions"]!.AsArray().ToDictionary(d => d!["name"]!.GetValue<string>());
        int tested = 0;
        foreach (var direction in given["directions"]!.AsArray())
        {
            string name = direction!["name"]!.GetValue<string>();
            var concepts = direction["concepts"]!.AsArray();
            var mirrored = otherWay[name.EndsWith("_test", StringComparison.Ordinal) ? name[..^5] + "_ref" : name[..^4] + "_test"]!["concepts"]!.AsArray();
            Assert.Equal(concepts.Count, mirrored.Count);
            for (int i = 0; i < concepts.Count; i++)
                foreach (string key in new[] { "members", "stability", "p_value", "p_adjusted", "held_out_score", "found_again" })
                {
                    Assert.Equal(concepts[i]![key]?.ToJsonString(), mirrored[i]![key]?.ToJsonString());
                    tested += key is "p_value" or "stability" && concepts[i]![key] is not null ? 1 : 0;
                }
        }
        Assert.True(tested >= 8);
    }

    /// <summary>
    /// Above 5,000 rows the median bandwidth is taken over a seeded subsample of 5,000 rows; B's had seed + 1, so a model's
    /// σ (and every SPEC and KODA figure after it) changed with the order of the arguments (helper 92).
    /// </summary>
    [Fact]
    public void AModelsBandwidthIsTheSameGivenAsAOrAsB()
    {
        var rng = new Random(5);
        float[] Rows(int dims, double scale) => Enumerable.Range(0, 5_200 * dims).Select(_ => (float)(scale * (rng.NextDouble() - 0.5) * Math.Exp(3 * rng.NextDouble()))).ToArray();
        string a = Path.Combine(dir, "wide.npy"), b = Path.Combine(dir, "narrow.npy");
        RepDiff.IO.Npy.Write(a, new Matrix(5_200, 3, Rows(3, 1)));
        RepDiff.IO.Npy.Write(b, new Matrix(5_200, 2, Rows(2, 5)));
        JsonObject Parameters(string first, string second, string name)
        {
            string outDir = Path.Combine(dir, name);
            Assert.Equal(0, Run("spec", first, second, "--route", "rff", "--rff-dim", "20", "--concepts", "1", "--members", "3", "--grid-size", "2", "--out", outDir).Code);
            return JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["parameters"]!.AsObject();
        }
        var given = Parameters(a, b, "ab");
        var swapped = Parameters(b, a, "ba");
        Assert.Equal(given["sigma_a"]!.GetValue<double>(), swapped["sigma_b"]!.GetValue<double>());
        Assert.Equal(given["sigma_b"]!.GetValue<double>(), swapped["sigma_a"]!.GetValue<double>());
    }
}
