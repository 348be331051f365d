using RepDiff.Methods;
using RepDiff.Options;
using RepDiff.Methods.Koda;
using RepDiff.Methods.Spec;
using RepDiff.Spectral;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Spectral;

/// <summary>The median-rule bandwidths a pair's methods share (PairStatistics.MedianDistanceA/B).</summary>
public class SharedBandwidthTests
{
    [Fact]
    public void SpecAndKodaTakeOneMedianPerSideAndSeed()
    {
        var a = NumericsTestData.RandomMatrix(300, 12, seed: 1);
        var b = NumericsTestData.RandomMatrix(300, 9, seed: 2);
        CountingRows rowsA = new(a), rowsB = new(b);
        var pair = new RepresentationPair(rowsA, rowsB);
        var spec = (SpecOptions)((IPairMethod)new SpecMethod()).Prepare(pair, new SpecOptions());
        int readsA = rowsA.Reads, readsB = rowsB.Reads;
        var koda = (KodaOptions)((IPairMethod)new KodaMethod()).Prepare(pair, new KodaOptions());

        Assert.Equal((readsA, readsB), (rowsA.Reads, rowsB.Reads));
        Assert.Equal(Bandwidth.Median(a, 0, "A", nameof(SpecOptions.SigmaA)), spec.SigmaA);
        Assert.Equal(Bandwidth.Median(b, 0, "B", nameof(SpecOptions.SigmaB)), spec.SigmaB);
        Assert.Equal((spec.SigmaA, spec.SigmaB), (koda.SigmaA, koda.SigmaB));

        // Another seed draws another subsample above 5,000 rows, so it is found anew, never taken from the first seed's.
        Bandwidth.MedianOfA(pair, seed: 1, nameof(SpecOptions.SigmaA));
        Assert.True(rowsA.Reads > readsA);
    }

    [Fact]
    public void AllIdenticalRowsStillNameTheOptionOfEachMethod()
    {
        var same = new Matrix(50, 4, new float[200]);
        var pair = new RepresentationPair(same, NumericsTestData.RandomMatrix(50, 4, seed: 3));
        var first = Assert.Throws<InvalidOptionException>(() => Bandwidth.MedianOfA(pair, 0, nameof(SpecOptions.SigmaA)));
        var again = Assert.Throws<InvalidOptionException>(() => Bandwidth.MedianOfA(pair, 0, nameof(KodaOptions.SigmaA)));
        Assert.Contains("median pairwise distance", first.Message);
        Assert.Equal(first.Message, again.Message);
    }
}
