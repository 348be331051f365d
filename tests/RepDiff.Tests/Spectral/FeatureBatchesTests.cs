using RepDiff.Numerics;
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

    /// <summary>
    /// Wide features are mapped a piece of a batch at a time, each piece a whole number of the covariance's float chunks, so
    /// the covariance is the one of whole batches to the bit: here batches of 2,100 rows of 2,200 features (above the 16 MB a
    /// piece may hold) go in pieces of 1,024, 1,024 and 52 rows, and the last batch of 500 rows whole.
    /// </summary>
    [Fact]
    public void PiecesOfABatchGiveTheCovarianceOfWholeBatches()
    {
        var a = NumericsTestData.RandomMatrix(2600, 6, seed: 3);
        var b = NumericsTestData.RandomMatrix(2600, 5, seed: 4);
        IFeatureMap[] maps = [new FourierFeatures(RandomFourierFeatures.Sample(6, 600, 2.0, 1)), new FourierFeatures(RandomFourierFeatures.Sample(5, 500, 2.0, 2))];
        const int batchRows = 2100;
        var batches = new FeatureBatches([a, b], maps, batchRows);
        Assert.Equal(1024, FeatureBatches.PieceRows(batchRows, batches.Dim));
        var pieces = new List<(int First, int Rows)>();
        batches.ForEach((features, first) => pieces.Add((first, features.Rows)), null, "pieces");
        Assert.Equal([(0, 1024), (1024, 1024), (2048, 52), (2100, 500)], pieces);

        var all = batches.MapAll();
        var whole = new CovarianceAccumulator(batches.Dim);
        for (int first = 0; first < a.Rows; first += batchRows)
        {
            int rows = Math.Min(batchRows, a.Rows - first);
            var batch = new Matrix(rows, batches.Dim);
            for (int r = 0; r < rows; r++)
            {
                all[0].Row(first + r).CopyTo(batch.Row(r));
                all[1].Row(first + r).CopyTo(batch.Row(r)[all[0].Cols..]);
            }
            whole.Add(batch);
        }
        var expected = whole.Sum.Select(v => v / a.Rows).ToArray();
        Assert.Equal(expected, batches.MeanGram(null));
    }
}
