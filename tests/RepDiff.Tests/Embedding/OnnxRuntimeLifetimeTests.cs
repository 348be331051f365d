using System.Text.RegularExpressions;

namespace RepDiff.Tests.Embedding;

/// <summary>
/// ONNX Runtime's C# options are SafeHandles whose native object is freed by their finalizer, and InferenceSession passes
/// only the raw pointer to the native call: options made inside the call's arguments are garbage once the call has begun
/// (the projects compile optimized, without tiering), so a collection caused by a test running beside it freed them while
/// ONNX Runtime still read them. It killed the test host once with a segfault in libonnxruntime.so (docs/reliability.md, h237).
/// </summary>
public class OnnxRuntimeLifetimeTests
{
    /// <summary>A RunOptions or SessionOptions made as an argument: nothing holds it while the native call reads it.</summary>
    private static readonly Regex OptionsMadeInACall = new(@"(^|[(,\[])\s*new\s+(RunOptions|SessionOptions)\s*\(", RegexOptions.Compiled);

    [Fact]
    public void NoOnnxRuntimeOptionsAreMadeInsideTheCallThatReadsThem()
    {
        var found = new List<string>();
        foreach (string folder in new[] { "src", "tests", "bench" })
            foreach (string file in Directory.EnumerateFiles(Path.Combine(TestData.RepoRoot, folder), "*.cs", SearchOption.AllDirectories))
            {
                if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
                var lines = File.ReadAllLines(file);
                for (int i = 0; i < lines.Length; i++)
                    if (OptionsMadeInACall.IsMatch(lines[i])) found.Add($"{Path.GetRelativePath(TestData.RepoRoot, file)}:{i + 1}: {lines[i].Trim()}");
            }
        Assert.True(found.Count == 0, "hold ONNX Runtime options in a `using var` for the whole call:\n" + string.Join("\n", found));
    }

    /// <summary>
    /// Runs <paramref name="work"/> while another thread keeps collecting the youngest generation and running finalizers,
    /// so that an ONNX Runtime object nothing holds during a native call is freed under it, as the tests beside it did once by chance.
    /// </summary>
    internal static void WhileCollecting(Action work)
    {
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect(0);
                GC.WaitForPendingFinalizers();
                Thread.Sleep(1); // often enough to land inside every model call, without taking a core from the tests beside it
            }
        }) { IsBackground = true, Name = "collector" };
        collector.Start();
        try { work(); }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
