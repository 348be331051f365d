using RepDiff.IO;
using RepDiff.Metrics;

namespace RepDiff.Tests.Metrics;

public class CkaTests
{
    internal static Matrix Random(int rows, int cols, int seed, double shift = 0)
    {
        var rng = new Random(seed);
        var m = new Matrix(rows, cols);
        for (int i = 0; i < m.Data.Length; i++) m.Data[i] = (float)(rng.NextDouble() * 2 - 1 + shift);
        return m;
    }

    /// <summary>B = f(A) plus noise: related but not identical representations.</summary>
    private static (Matrix A, Matrix B) RelatedPair(int n = 60, int seed = 1)
    {
        var a = Random(n, 7, seed, shift: 0.5);
        var b = new Matrix(n, 5);
        var noise = Random(n, 5, seed + 100);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 5; j++)
                b[i, j] = a[i, j] * (j + 1) - a[i, j + 2] + 0.5f * noise[i, j] + 3;
        return (a, b);
    }

    [Fact]
    public void CkaOfARepresentationWithItselfIsOne()
    {
        var x = Random(50, 8, 3, shift: 2);
        Assert.Equal(1.0, Cka.Linear(x, x)!.Value, 5);
        Assert.Equal(1.0, Cka.LinearDebiased(x, x)!.Value, 5);
        Assert.Equal(1.0, Cka.Rbf(x, x, out _)!.Value, 5);
    }

    [Fact]
    public void CkaAgainstItselfNeverReadsAboveOne()
    {
        // Both CKAs are ratios bounded by Cauchy–Schwarz; their float32 sums rounded a representation against itself past 1.
        for (int seed = 0; seed < 40; seed++)
        {
            var x = Random(40 + 7 * seed, 3 + seed % 9, seed, shift: seed % 4);
            Assert.InRange(Cka.Linear(x, x)!.Value, 0.99999, 1.0);
            Assert.InRange(Cka.LinearDebiased(x, x)!.Value, 0.99999, 1.0);
        }
    }

    [Fact]
    public void CkaWithARepresentationOfIdenticalRowsIsUndefinedNotZero()
    {
        var (a, _) = RelatedPair();
        var constant = new Matrix(a.Rows, 4);
        Array.Fill(constant.Data, 0.3f);
        // Its centred kernel is zero: CKA is 0/0 however A looks, on either side, and also with itself.
        Assert.Null(Cka.Linear(constant, a));
        Assert.Null(Cka.Linear(a, constant));
        Assert.Null(Cka.Linear(constant, constant));
        Assert.Null(Cka.LinearDebiased(constant, a));
        Assert.Null(Cka.Rbf(a, constant, out _));
        Assert.True(ConstantRows.In(constant));
        Assert.False(ConstantRows.In(a));
        Assert.Equal("every row of c.npy is the same, so it has no variance", ConstantRows.Why(constant, a, "c.npy", "a.npy"));
        Assert.Null(ConstantRows.Why(a, a, "a.npy", "a.npy"));
    }

    [Fact]
    public void RowsInMemoryAreConstantOnlyWhenTheLastOneIsTheSameToo()
    {
        var rows = new Matrix(300_000, 3);
        for (int i = 0; i < rows.Rows; i++) rows.Row(i).Fill(0.5f);
        Assert.True(ConstantRows.In(rows));
        rows[rows.Rows - 1, 2] = 0.25f;
        Assert.False(ConstantRows.In(rows));
    }

    [Fact]
    public void CkaIsSymmetricAndInTheUnitInterval()
    {
        var (a, b) = RelatedPair();
        foreach (var f in new Func<Matrix, Matrix, double?>[] { Cka.Linear, Cka.LinearDebiased, (x, y) => Cka.Rbf(x, y, out _) })
        {
            double ab = f(a, b)!.Value, ba = f(b, a)!.Value;
            Assert.Equal(ab, ba, 5);
            Assert.InRange(ab, 0.05, 1.0);
        }
        var unrelated = Random(60, 5, 77);
        Assert.InRange(Cka.Linear(a, unrelated)!.Value, 0, 1);
    }

    [Fact]
    public void CkaIsInvariantToOrthogonalTransformsAndIsotropicScaling()
    {
        var (a, b) = RelatedPair();
        // A random orthogonal 5×5 matrix from Gram–Schmidt, then scaled by 7.
        var q = Orthogonal(5, 9);
        var rotated = new Matrix(b.Rows, 5);
        for (int i = 0; i < b.Rows; i++)
            for (int j = 0; j < 5; j++)
            {
                double s = 0;
                for (int t = 0; t < 5; t++) s += b[i, t] * q[t, j];
                rotated[i, j] = (float)(7 * s);
            }
        Assert.Equal(Cka.Linear(a, b)!.Value, Cka.Linear(a, rotated)!.Value, 5);
        Assert.Equal(Cka.LinearDebiased(a, b)!.Value, Cka.LinearDebiased(a, rotated)!.Value, 5);
        Assert.Equal(Cka.Rbf(a, b, out _)!.Value, Cka.Rbf(a, rotated, out _)!.Value, 5);
    }

    private static double[,] Orthogonal(int d, int seed)
    {
        var rng = new Random(seed);
        var q = new double[d, d];
        for (int j = 0; j < d; j++)
        {
            var v = Enumerable.Range(0, d).Select(_ => rng.NextDouble() - 0.5).ToArray();
            for (int k = 0; k < j; k++)
            {
                double dot = 0;
                for (int i = 0; i < d; i++) dot += v[i] * q[i, k];
                for (int i = 0; i < d; i++) v[i] -= dot * q[i, k];
            }
            double norm = Math.Sqrt(v.Sum(x => x * x));
            for (int i = 0; i < d; i++) q[i, j] = v[i] / norm;
        }
        return q;
    }

    private static double[,] LinearGram(Matrix x)
    {
        var k = new double[x.Rows, x.Rows];
        for (int i = 0; i < x.Rows; i++)
            for (int j = 0; j < x.Rows; j++)
            {
                double s = 0;
                for (int t = 0; t < x.Cols; t++) s += (double)x[i, t] * x[j, t];
                k[i, j] = s;
            }
        return k;
    }

    /// <summary>Biased HSIC = tr(KHLH)/(n−1)², straight from the definition with n×n matrices.</summary>
    private static double BiasedHsic(double[,] k, double[,] l)
    {
        int n = k.GetLength(0);
        var h = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) h[i, j] = (i == j ? 1 : 0) - 1.0 / n;
        var kh = Product(k, h);
        var lh = Product(l, h);
        double trace = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) trace += kh[i, j] * lh[j, i];
        return trace / ((n - 1.0) * (n - 1.0));
    }

    /// <summary>Unbiased HSIC (Song et al. 2012, eq. 5) from the n×n Gram matrices with zeroed diagonals.</summary>
    private static double UnbiasedHsic(double[,] k, double[,] l)
    {
        int n = k.GetLength(0);
        var kt = (double[,])k.Clone();
        var lt = (double[,])l.Clone();
        for (int i = 0; i < n; i++) kt[i, i] = lt[i, i] = 0;
        var ktlt = Product(kt, lt);
        double trace = 0, sumK = 0, sumL = 0, sumKL = 0;
        for (int i = 0; i < n; i++)
        {
            trace += ktlt[i, i];
            for (int j = 0; j < n; j++) { sumK += kt[i, j]; sumL += lt[i, j]; sumKL += ktlt[i, j]; }
        }
        return (trace + sumK * sumL / ((n - 1.0) * (n - 2.0)) - 2.0 / (n - 2) * sumKL) / (n * (n - 3.0));
    }

    private static double[,] Product(double[,] x, double[,] y)
    {
        int n = x.GetLength(0);
        var r = new double[n, n];
        for (int i = 0; i < n; i++) for (int t = 0; t < n; t++) for (int j = 0; j < n; j++) r[i, j] += x[i, t] * y[t, j];
        return r;
    }

    [Fact]
    public void LinearCkaAgreesWithTheDirectHsicFormula()
    {
        var (a, b) = RelatedPair(40);
        var ka = LinearGram(a);
        var kb = LinearGram(b);
        double direct = BiasedHsic(ka, kb) / Math.Sqrt(BiasedHsic(ka, ka) * BiasedHsic(kb, kb));
        Assert.Equal(direct, Cka.Linear(a, b)!.Value, 5);
    }

    /// <summary>Gaussian Gram matrix with σ² = the median squared distance over pairs of distinct samples (duplicates left out), from the definition.</summary>
    private static double[,] RbfGram(Matrix x)
    {
        int n = x.Rows;
        var d2 = new double[n, n];
        var offDiagonal = new List<double>();
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
            {
                for (int t = 0; t < x.Cols; t++) d2[i, j] += ((double)x[i, t] - x[j, t]) * ((double)x[i, t] - x[j, t]);
                if (i < j && d2[i, j] > 0) offDiagonal.Add(d2[i, j]);
            }
        offDiagonal.Sort();
        int m = offDiagonal.Count;
        double median = m % 2 == 1 ? offDiagonal[m / 2] : (offDiagonal[m / 2 - 1] + offDiagonal[m / 2]) / 2;
        var k = new double[n, n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) k[i, j] = Math.Exp(-d2[i, j] / (2 * median));
        return k;
    }

    /// <summary>
    /// With most rows duplicates, the median of all pairwise distances is 0; a bandwidth of 0 made K all ones and
    /// RBF CKA of a representation with itself 0.
    /// </summary>
    [Fact]
    public void RbfCkaOfMostlyDuplicateRowsIsOneWithItselfAndMatchesTheDefinition()
    {
        var (a, b) = RelatedPair(40);
        var rows = Enumerable.Range(0, 40).Select(i => i < 30 ? 0 : i).ToArray();
        (a, b) = (a.SelectRows(rows), b.SelectRows(rows));
        Assert.Equal(1.0, Cka.Rbf(a, a, out _)!.Value, 5);
        var (ka, kb) = (RbfGram(a), RbfGram(b));
        double direct = BiasedHsic(ka, kb) / Math.Sqrt(BiasedHsic(ka, ka) * BiasedHsic(kb, kb));
        Assert.Equal(direct, Cka.Rbf(a, b, out _)!.Value, 5);
    }

    [Fact]
    public void RbfCkaAgreesWithTheDirectHsicFormula()
    {
        var (a, b) = RelatedPair(40);
        var ka = RbfGram(a);
        var kb = RbfGram(b);
        double direct = BiasedHsic(ka, kb) / Math.Sqrt(BiasedHsic(ka, ka) * BiasedHsic(kb, kb));
        Assert.Equal(direct, Cka.Rbf(a, b, out int used)!.Value, 5);
        Assert.Equal(40, used);
    }

    [Fact]
    public void DebiasedCkaAgreesWithTheDirectUnbiasedHsicFormula()
    {
        // The unbiased estimator is translation invariant, so the uncentered Gram matrices give the same value.
        var (a, b) = RelatedPair(40);
        var ka = LinearGram(a);
        var kb = LinearGram(b);
        double direct = UnbiasedHsic(ka, kb) / Math.Sqrt(UnbiasedHsic(ka, ka) * UnbiasedHsic(kb, kb));
        Assert.Equal(direct, Cka.LinearDebiased(a, b)!.Value, 4);
        Assert.True(Cka.LinearDebiased(a, b)!.Value < Cka.Linear(a, b)!.Value);
    }

    [Fact]
    public void CkaOfWideDataThroughTheGramMatricesAgreesWithTheDirectFormulasAndTheFeatureRoute()
    {
        // Far more dimensions than samples (over one column chunk): the n×n route is taken, and it must give the
        // same sums as the d×d one and the definitions' values.
        var a = Random(40, 1500, 31, shift: 3);
        var b = new Matrix(40, 1100);
        var noise = Random(40, 1100, 32);
        for (int i = 0; i < 40; i++)
            for (int j = 0; j < 1100; j++) b[i, j] = a[i, j] - 0.5f * a[i, j + 300] + noise[i, j];
        var ka = LinearGram(a);
        var kb = LinearGram(b);
        Assert.Equal(BiasedHsic(ka, kb) / Math.Sqrt(BiasedHsic(ka, ka) * BiasedHsic(kb, kb)), Cka.Linear(a, b)!.Value, 5);
        Assert.Equal(UnbiasedHsic(ka, kb) / Math.Sqrt(UnbiasedHsic(ka, ka) * UnbiasedHsic(kb, kb)), Cka.LinearDebiased(a, b)!.Value, 4);
        var bySamples = Cka.Sums.Of(a, b, throughSamples: true);
        var byFeatures = Cka.Sums.Of(a, b, throughSamples: false);
        Assert.Equal(byFeatures.NormAB, bySamples.NormAB, 1e-6 * byFeatures.NormAB);
        Assert.Equal(byFeatures.NormAA, bySamples.NormAA, 1e-6 * byFeatures.NormAA);
        Assert.Equal(byFeatures.NormBB, bySamples.NormBB, 1e-6 * byFeatures.NormBB);
        for (int i = 0; i < 40; i++) Assert.Equal(byFeatures.RowNormsA[i], bySamples.RowNormsA[i], 1e-5 * byFeatures.RowNormsA[i]);
    }

    [Fact]
    public void LinearCkaOverManyChunksMatchesADoubleReference()
    {
        // 3,000 rows (three row chunks) far from the origin: centering and chunked sums must keep precision.
        var a = Random(3000, 6, 21, shift: 100);
        var b = new Matrix(3000, 4);
        var noise = Random(3000, 4, 22);
        for (int i = 0; i < 3000; i++)
            for (int j = 0; j < 4; j++) b[i, j] = a[i, j] - a[i, j + 2] + noise[i, j];
        double Cross(Matrix x, Matrix y)
        {
            var mx = Enumerable.Range(0, x.Cols).Select(j => Enumerable.Range(0, x.Rows).Average(i => (double)x[i, j])).ToArray();
            var my = Enumerable.Range(0, y.Cols).Select(j => Enumerable.Range(0, y.Rows).Average(i => (double)y[i, j])).ToArray();
            double total = 0;
            for (int p = 0; p < x.Cols; p++)
                for (int q = 0; q < y.Cols; q++)
                {
                    double s = 0;
                    for (int i = 0; i < x.Rows; i++) s += (x[i, p] - mx[p]) * (y[i, q] - my[q]);
                    total += s * s;
                }
            return total;
        }
        double expected = Cross(a, b) / Math.Sqrt(Cross(a, a) * Cross(b, b));
        Assert.Equal(expected, Cka.Linear(a, b)!.Value, 6);
    }

    [Fact]
    public void RbfCkaSubsamplesDeterministicallyAboveTheLimit()
    {
        var (a, b) = RelatedPair(80);
        double first = Cka.Rbf(a, b, out int used, maxSamples: 30, seed: 4)!.Value;
        Assert.Equal(30, used);
        Assert.Equal(first, Cka.Rbf(a, b, out _, maxSamples: 30, seed: 4)!.Value);
        Assert.Throws<RepDiffInputException>(() => Cka.Rbf(a, b, out _, maxSamples: Cka.MaxRbfSamples + 1));
    }
}

public class MutualKnnTests
{
    [Fact]
    public void MutualKnnOfARepresentationWithItselfIsOne()
    {
        var x = CkaTests.Random(120, 6, 5);
        Assert.Equal(1.0, MutualKnn.Alignment(x, x, 10), 12);
    }

    [Fact]
    public void MutualKnnMatchesABruteForceCount()
    {
        var a = CkaTests.Random(50, 4, 6);
        var b = CkaTests.Random(50, 3, 7);
        int k = 5;
        double expected = 0;
        for (int i = 0; i < 50; i++)
        {
            var na = BruteNeighbours(a, i, k);
            var nb = BruteNeighbours(b, i, k);
            expected += na.Intersect(nb).Count() / (double)k;
        }
        Assert.Equal(expected / 50, MutualKnn.Alignment(a, b, k), 12);
    }

    private static int[] BruteNeighbours(Matrix x, int i, int k) =>
        Enumerable.Range(0, x.Rows).Where(j => j != i)
            .OrderBy(j => Enumerable.Range(0, x.Cols).Sum(t => (double)(x[i, t] - x[j, t]) * (x[i, t] - x[j, t])))
            .ThenBy(j => j).Take(k).ToArray();
}

public class ClusterAgreementMeasuresTests
{
    [Fact]
    public void NmiMatchesAHandComputedValue()
    {
        // MI = (2/3) ln 2, H(a) = ln 2, H(b) = ln 3: NMI = (2/3) ln 2 / ((ln 2 + ln 3) / 2).
        double expected = 2.0 / 3 * Math.Log(2) / ((Math.Log(2) + Math.Log(3)) / 2);
        Assert.Equal(expected, ClusterAgreement.NormalizedMutualInformation([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]), 12);
        Assert.Equal(1.0, ClusterAgreement.NormalizedMutualInformation([0, 0, 1, 1], [7, 7, 3, 3]), 12);
    }

    [Fact]
    public void AmiMatchesTheExpectationOverAllRelabellings()
    {
        // E[MI] by brute force: the average MI over every permutation of b's labels (the hypergeometric model).
        int[] a = [0, 0, 0, 1, 1, 2, 2];
        int[] b = [0, 0, 1, 1, 1, 1, 2];
        double expectedMi = Permutations(b).Average(p => MutualInformation(a, p));
        double mi = MutualInformation(a, b);
        double mean = (Entropy(a) + Entropy(b)) / 2;
        Assert.Equal((mi - expectedMi) / (mean - expectedMi), ClusterAgreement.AdjustedMutualInformation(a, b), 10);
    }

    [Fact]
    public void AmiKnownValues()
    {
        // scikit-learn documentation: identical partitions score 1, a fully split class scores 0.
        Assert.Equal(1.0, ClusterAgreement.AdjustedMutualInformation([0, 0, 1, 1], [1, 1, 0, 0]), 12);
        Assert.Equal(0.0, ClusterAgreement.AdjustedMutualInformation([0, 0, 0, 0], [0, 1, 2, 3]), 12);
    }

    [Fact]
    public void SilhouetteMatchesAHandComputedValue()
    {
        var x = new Matrix(4, 1, [0, 1, 10, 11]);
        // Points 0 and 11: a = 1, b = 10.5; points 1 and 10: a = 1, b = 9.5.
        double expected = (9.5 / 10.5 + 8.5 / 9.5) / 2;
        Assert.Equal(expected, ClusterAgreement.Silhouette(x, [0, 0, 1, 1]), 6);
        Assert.Throws<ArgumentException>(() => ClusterAgreement.Silhouette(x, [0, 0, 0, 0]));
    }

    // Four clusters with a large common offset (the distances' expansion would cancel without centring), against
    // the definition with double distances pair by pair, over more rows than one distance block.
    [Fact]
    public void SilhouetteMatchesTheDefinitionOnClusteredData()
    {
        var rng = new Random(5);
        int n = 2500, d = 24;
        var x = new Matrix(n, d);
        var labels = new int[n];
        for (int i = 0; i < n; i++)
        {
            labels[i] = i % 4;
            for (int j = 0; j < d; j++) x[i, j] = 1000f + 3f * (j == labels[i] ? 1 : 0) + (float)rng.NextDouble();
        }
        double total = 0;
        var sizes = labels.GroupBy(l => l).ToDictionary(g => g.Key, g => g.Count());
        for (int i = 0; i < n; i++)
        {
            var sums = new double[4];
            for (int j = 0; j < n; j++)
            {
                double s2 = 0;
                for (int t = 0; t < d; t++) s2 += ((double)x[i, t] - x[j, t]) * ((double)x[i, t] - x[j, t]);
                sums[labels[j]] += Math.Sqrt(s2);
            }
            double a = sums[labels[i]] / (sizes[labels[i]] - 1);
            double b = Enumerable.Range(0, 4).Where(c => c != labels[i]).Min(c => sums[c] / sizes[c]);
            total += (b - a) / Math.Max(a, b);
        }
        Assert.Equal(total / n, ClusterAgreement.Silhouette(x, labels), 5);
    }

    private static IEnumerable<int[]> Permutations(int[] items)
    {
        if (items.Length <= 1) { yield return items; yield break; }
        for (int i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, j) => j != i).ToArray();
            foreach (var p in Permutations(rest)) yield return [items[i], .. p];
        }
    }

    private static double Entropy(int[] x) =>
        -x.GroupBy(v => v).Sum(g => (double)g.Count() / x.Length * Math.Log((double)g.Count() / x.Length));

    private static double MutualInformation(int[] a, int[] b)
    {
        int n = a.Length;
        double mi = 0;
        foreach (var cell in a.Zip(b).GroupBy(p => p))
        {
            double pij = (double)cell.Count() / n, pi = a.Count(v => v == cell.Key.First) / (double)n, pj = b.Count(v => v == cell.Key.Second) / (double)n;
            mi += pij * Math.Log(pij / (pi * pj));
        }
        return mi;
    }
}

public class LinearProbeTests
{
    [Fact]
    public void ProbeBeatsChanceClearlyOnDigits()
    {
        var a = TestData.LoadFixture("digits_m49_a.npy");
        var labels = SampleFiles.LoadLabels(TestData.Fixture("digits_labels.npy")).Codes;
        var result = LinearProbe.CrossValidate(a, labels, folds: 5, seed: 0);
        Assert.True(result.Accuracy > 0.8, $"accuracy {result.Accuracy}");
        Assert.True(result.MajorityRate < 0.15);
        Assert.Equal(5, result.FoldAccuracies.Length);
        Assert.Equal(result.Predictions, LinearProbe.CrossValidate(a, labels, folds: 5, seed: 0).Predictions);
    }

    [Fact]
    public void ProbesOfTheSameRepresentationAgreeFully()
    {
        var a = TestData.LoadFixture("planted_a.npy");
        var groups = TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();
        var result = LinearProbe.CrossValidate(a, groups, folds: 3, seed: 1);
        Assert.Equal(1.0, LinearProbe.Agreement(result, result));
        Assert.True(result.Accuracy > 0.9, $"accuracy {result.Accuracy}");
    }
}
