using RepDiff.Spectral;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Spectral;

/// <summary>The row batches the feature routes stream: the same features on every pass, from buffers made once.</summary>
public class FeatureBatchesTests
{
    /// <summary>
    /// A second pass (the members' after the covariance's) gives every batch the same features as the first, whole
    /// batches and the shorter last one, and allocates none of its batch buffers again: less than a tenth of one batch's features.
    /// </summary>
    [Fact]
    public void LaterPassesReuseTheBatchBuffers()
    {
        var a = NumericsTestData.RandomMatrix(1000, 120, seed: 1);
        var b = NumericsTestData.RandomMatrix(1000, 80, seed: 2);
        var batches = new FeatureBatches([a, b], [new CosineFeatures(a.Cols, "a"), new CosineFeatures(b.Cols, "b")], batchRows: 300);
        var first = new List<float[]>();
        batches.ForEach((features, _) => first.Add((float[])features.Data.Clone()), null, "first");
        Assert.Equal([300, 300, 300, 100], first.Select(f => f.Length / batches.Dim));

        int batch = 0;
        bool same = true;
        long before = GC.GetAllocatedBytesForCurrentThread();
        batches.ForEach((features, _) => same &= first[batch++].AsSpan().SequenceEqual(features.Data), null, "second");
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(same);  // whole and partial batches alike
        Assert.True(allocated < 300 * batches.Dim * sizeof(float) / 10, $"the second pass allocated {allocated} bytes");
    }
}
