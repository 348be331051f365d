using RepDiff.IO;
using RepDiff.Numerics;
using RepDiff.Spectral;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Spectral;

/// <summary>
/// The ridged feature route solved in the span of the feature rows (RidgedSpan) against the covariance form it replaces on
/// few rows: the same eigenvalues, spectrum, members and mode functions (to the sign), since S(ΦᵀΦ/n + εI) keeps the span
/// and acts as ε s_t on what is orthogonal to it.
/// </summary>
public class RidgedSpanTests
{
    public static TheoryData<int, int, double, double, int> Cases => new()
    {
        // rows, frequencies per side, eta, ridge, modes of each sign
        { 60, 120, 1.0, 1e-7, 6 },
        { 40, 200, 0.5, 0.1, 4 },
        { 90, 400, 2.0, 1e-7, 8 },
        { 70, 150, 1.0, 1e-3, 5 },
        { 5, 50, 1.0, 1e-7, 10 },     // fewer span directions than modes asked: the complement's ε fills the spectrum
        { 210, 400, 1.0, 1e-7, 6 },   // the span (2n = 420) past the dense limit: its Θ applied, not formed
    };

    [Theory, MemberData(nameof(Cases))]
    public void TheSpanGivesTheCovarianceFormsModes(int n, int frequencies, double eta, double ridge, int k)
    {
        var a = NumericsTestData.RandomMatrix(n, 6, seed: n);
        var b = NumericsTestData.RandomMatrix(n, 9, seed: n + 1);
        IFeatureMap[] maps =
        [
            new FourierFeatures(RandomFourierFeatures.Sample(a.Cols, frequencies, 3.0, seed: 5)),
            new FourierFeatures(RandomFourierFeatures.Sample(b.Cols, frequencies, 4.0, seed: 6)),
        ];
        Compare([a, b], maps, eta, ridge, k);
    }

    /// <summary>Rows repeated make every block's Gram singular: their directions join the complement, exactly.</summary>
    [Fact]
    public void RepeatedRowsGiveTheCovarianceFormsModes()
    {
        var a = NumericsTestData.RandomMatrix(50, 5, seed: 21);
        var b = NumericsTestData.RandomMatrix(50, 7, seed: 22);
        for (int i = 40; i < 50; i++)
        {
            a.Data.AsSpan((i - 40) * a.Cols, a.Cols).CopyTo(a.Data.AsSpan(i * a.Cols, a.Cols));
            b.Data.AsSpan((i - 40) * b.Cols, b.Cols).CopyTo(b.Data.AsSpan(i * b.Cols, b.Cols));
        }
        IFeatureMap[] maps =
        [
            new FourierFeatures(RandomFourierFeatures.Sample(a.Cols, 100, 3.0, seed: 7)),
            new FourierFeatures(RandomFourierFeatures.Sample(b.Cols, 100, 3.5, seed: 8)),
        ];
        Compare([a, b], maps, eta: 1, ridge: 1e-7, k: 5, row => row % 40);  // a repeated row ties with its first: either is a member
    }

    /// <summary>The cosine kernel's features (double covariance, small jitter) with more dimensions than rows.</summary>
    [Fact]
    public void CosineFeaturesGiveTheCovarianceFormsModes()
    {
        var a = NumericsTestData.RandomMatrix(40, 300, seed: 31);
        var b = NumericsTestData.RandomMatrix(40, 250, seed: 32);
        Compare([a, b], [new CosineFeatures(a.Cols, "a"), new CosineFeatures(b.Cols, "b")], eta: 1, ridge: 1e-7, k: 5);
    }

    /// <summary>
    /// A ridge so large that its degenerate ε is among the modes (5 rows, 10 modes asked): the span answers nothing and the
    /// route takes the covariance form, whose answer it then is.
    /// </summary>
    [Fact]
    public void AComplementModeFallsBackToTheCovarianceForm()
    {
        var a = NumericsTestData.RandomMatrix(5, 4, seed: 41);
        var b = NumericsTestData.RandomMatrix(5, 4, seed: 42);
        IFeatureMap[] maps =
        [
            new FourierFeatures(RandomFourierFeatures.Sample(a.Cols, 30, 2.0, seed: 9)),
            new FourierFeatures(RandomFourierFeatures.Sample(b.Cols, 30, 2.0, seed: 10)),
        ];
        var problem = new SignedProblem(10, 3, SignedEigen.ZeroThreshold(2), Seed: 1);
        var batches = new FeatureBatches([a, b], maps, batchRows: 64);
        Assert.Null(RidgedSpan.Solve(batches.MapAll(), maps, [1.0, -1.0], 0.5, problem, Cholesky.DefaultJitter, null, []));
        var timings = new Dictionary<string, double>();
        var found = FeatureRoute.Solve(batches, [1.0, -1.0], 0.5, problem, Dimension(batches.Dim), null, timings);
        var covariance = FeatureRoute.Solve(batches, [1.0, -1.0], 0.5, problem, Dimension(batches.Dim), null, [], allowSpan: false);
        Assert.True(found.Modes.PositiveValues.Any(v => Math.Abs(v - 0.5) < 1e-6), string.Join(", ", found.Modes.PositiveValues));  // ε itself is a mode
        Assert.Equal(covariance.Modes.Spectrum, found.Modes.Spectrum);
    }

    /// <summary>
    /// The memory check counts the form the ridged route takes: 60 rows with --rff-dim 100,000 (D = 400,000) hold their features
    /// (96 MB), not a 3.8 TB covariance; 5,000 rows with D = 17,000, where the covariance form is cheaper but needs 8.7 GB, take
    /// the span within a 6 GB limit; what neither fits is refused naming --rff-dim and the largest value that fits.
    /// </summary>
    [Fact]
    public void TheMemoryCheckCountsTheFormTheRidgedRouteTakes()
    {
        static FeatureOption RffDim(int value) => new("RffDim", value, 100_000, v => (4L * v, 2L * v));
        using (MemoryBudget.Assume(8_000_000_000))
        {
            long limit = MemoryBudget.WorkLimit();
            SampleKernels.CheckFeatureRoute(60, RffDim(100_000), ridged: true, factor: false);
            Assert.False(RidgedSpan.IsCheaper(5000, 17_000));
            Assert.True(RidgedSpan.Takes(5000, 17_000, limit));
            SampleKernels.CheckFeatureRoute(5000, RffDim(4250), ridged: true, factor: false);
            var error = Assert.Throws<RepDiff.Options.InvalidOptionException>(() => SampleKernels.CheckFeatureRoute(20_000, RffDim(6000), ridged: true, factor: false));
            Assert.Equal("RffDim", error.Property);
            Assert.Contains("D = 24,000 features need", error.Message);
            Assert.Contains("is the largest value that fits", error.Message);
        }
    }

    private static FeatureOption Dimension(int d) => new("RffDim", d, 0, _ => (d, d));

    private static void Compare(Matrix[] inputs, IFeatureMap[] maps, double eta, double ridge, int k, Func<int, int>? sameRow = null)
    {
        bool exact = maps.All(m => m is CosineFeatures);
        int n = inputs[0].Rows;
        var problem = new SignedProblem(k, Members: 8, SignedEigen.ZeroThreshold(1 + eta), Seed: 3);
        var batches = new FeatureBatches(inputs, maps, batchRows: 64);
        int d = batches.Dim;
        Assert.True(RidgedSpan.IsCheaper(n, d));
        var spanTimings = new Dictionary<string, double>();
        var span = FeatureRoute.Solve(batches, [1.0, -eta], ridge, problem, Dimension(d), null, spanTimings);
        var covariance = FeatureRoute.Solve(batches, [1.0, -eta], ridge, problem, Dimension(d), null, [], allowSpan: false);
        Assert.Contains("span basis", spanTimings.Keys);

        // Eigenvalues and spectrum to round-off of the norm: the covariance form sums float products of random Fourier features
        // (relative errors near 1e-7; 1e-8 seen), double ones of cosine features.
        var spectrum = covariance.Modes.Spectrum;
        double norm = spectrum.Max(Math.Abs);
        Assert.Equal(spectrum.Length, span.Modes.Spectrum.Length);
        for (int i = 0; i < spectrum.Length; i++) Assert.Equal(spectrum[i], span.Modes.Spectrum[i], (exact ? 1e-10 : 1e-7) * norm);
        Assert.Equal(covariance.Modes.PositiveValues.Length, span.Modes.PositiveValues.Length);
        Assert.Equal(covariance.Modes.NegativeValues.Length, span.Modes.NegativeValues.Length);
        Assert.True(span.Modes.PositiveValues.Length > 0 && span.Modes.NegativeValues.Length > 0);

        // The modes as functions of new rows (the feature-space eigenvectors), equal up to sign, and the members they pick.
        var fresh = inputs.Select((x, t) => NumericsTestData.RandomMatrix(30, x.Cols, seed: 100 + t)).ToArray();
        var fromSpan = span.Function!.Evaluate(fresh);
        var fromCovariance = covariance.Function!.Evaluate(fresh);
        int modes = span.Modes.PositiveValues.Length + span.Modes.NegativeValues.Length;
        var strengths = Enumerable.Repeat(1.0, modes).ToArray();
        var spanConcepts = span.Members.Concepts(strengths, 3, 0);
        var covarianceConcepts = covariance.Members.Concepts(strengths, 3, 0);
        for (int m = 0; m < modes; m++)
        {
            double scale = fromCovariance[m].Max(Math.Abs), sign = Math.Sign(fromSpan[m].Zip(fromCovariance[m], (x, y) => x * y).Sum());
            for (int i = 0; i < fresh[0].Rows; i++) Assert.Equal(fromCovariance[m][i], sign * fromSpan[m][i], 1e-6 * scale);
            Assert.Equal(covarianceConcepts[m].Members.Select(sameRow ?? (r => r)).Order(), spanConcepts[m].Members.Select(sameRow ?? (r => r)).Order());
            for (int i = 0; i < spanConcepts[m].Scores!.Length; i++)
                Assert.Equal(covarianceConcepts[m].Scores![i], spanConcepts[m].Scores![i], 1e-4 * Math.Abs(covarianceConcepts[m].Scores![0]));
        }
    }
}
