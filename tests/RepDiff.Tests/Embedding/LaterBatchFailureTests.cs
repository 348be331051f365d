using RepDiff.IO;
using static RepDiff.Tests.Embedding.TinyOnnx;
using static RepDiff.Tests.Robustness.CliHarness;

namespace RepDiff.Tests.Embedding;

/// <summary>A model that opens, takes the first batch and fails on a later one: what the checks at opening cannot see.</summary>
public class LaterBatchFailureTests
{
    /// <summary>
    /// A graph that reshapes every batch to two samples runs the first batch of 2 and fails on the last batch of 1: one
    /// error line naming the node, and the earlier file at --out as it was, nothing beside it.
    /// </summary>
    [Fact]
    public void AModelThatFailsOnALaterBatchSaysOneLineAndLeavesTheOutputAsItWas()
    {
        string dir = TestData.TempDir();
        string images = TestImages.SceneFolder(dir, 3);
        string model = Write(Path.Combine(dir, "pairs.onnx"), [Value("pixels", Float, "batch", 3, 32, 32)], [Value("out", Float, "batch", 3, 32, 32)],
            [Node("Reshape", ["pixels", "pair"], ["out"])], [Constant("pair", [4], new long[] { 2, 3, 32, 32 })]);
        File.WriteAllText(Path.ChangeExtension(model, ".json"), """{ "pooling": "mean", "image": { "size": 32 } }""");
        string output = Path.Combine(dir, "e.npy");
        Npy.Write(output, new Matrix(2, 2, [1, 2, 3, 4]));
        byte[] earlier = File.ReadAllBytes(output);
        var listing = Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order().ToArray();

        var refused = Run("embed", model, "--images", images, "--batch-size", "2", "--out", output);
        Assert.Equal(2, refused.Code);
        // The whole of stderr, on a stderr that is no terminal, is the error line: the progress lines of a run refused in its
        // first 15 s are left out, as every command's are (they had come first: "embedding: 0% 0/3, …", "embedding: 66% 2/3, …").
        string line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"error: {model}: cannot run on 32x32 images (its node 'out_node' (Reshape) failed: ", line);
        Assert.Equal(earlier, File.ReadAllBytes(output));
        Assert.Equal(listing, Directory.GetFileSystemEntries(dir, "*", SearchOption.AllDirectories).Order().ToArray());

        // Batches of 2 and 2 (4 images): the model runs.
        string four = TestImages.SceneFolder(dir, 4, "four");
        var ran = Run("embed", model, "--images", four, "--batch-size", "2", "--out", output);
        Assert.True(ran.Code == 0, ran.Stderr);
        Assert.Contains("embedding: 100% 4/4", ran.Stderr);
        Assert.Equal(4, Npy.ReadMatrix(output).Rows);
    }
}
