using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using RepDiff.IO;

namespace RepDiff.Numerics;

/// <summary>
/// Random Fourier features for the Gaussian kernel exp(−‖x−y‖²/(2σ²)): φ(x) = [cos(xΩ), sin(xΩ)] / √r with
/// Ω (d×r) drawn N(0, 1/σ²), so φ(x)·φ(y) = mean over frequencies of cos((x−y)·ω) ≈ k(x, y).
/// </summary>
public sealed class RandomFourierFeatures
{
    /// <summary>d×r frequencies, already divided by sigma (the fixtures' *_omega_*.npy convention).</summary>
    public Matrix Omega { get; }

    public int InputDim => Omega.Rows;

    /// <summary>r; the feature dimension is 2r.</summary>
    public int Frequencies => Omega.Cols;

    public RandomFourierFeatures(Matrix omega)
    {
        if (omega.Rows == 0 || omega.Cols == 0) throw new ArgumentException($"frequency matrix is {omega.Rows}x{omega.Cols}; it needs at least one row and column");
        Omega = omega;
    }

    /// <summary>Ω ~ N(0, 1/σ²), filled row by row from the seed.</summary>
    public static RandomFourierFeatures Sample(int inputDim, int frequencies, double sigma, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputDim, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(frequencies, 1);
        if (!(sigma > 0) || !double.IsFinite(sigma)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "the kernel bandwidth must be positive and finite");
        CheckSize(inputDim, frequencies);
        var rng = Rng.Create(seed);
        var omega = new Matrix(inputDim, frequencies);
        for (int i = 0; i < omega.Data.Length; i++) omega.Data[i] = (float)(Rng.Normal(rng) / sigma);
        return new RandomFourierFeatures(omega);
    }

    /// <summary>
    /// Refuses frequency counts whose arrays cannot fit before anything is allocated: the d × r frequencies,
    /// and 2r feature columns per map (kept below 2^28 so feature counts and their squares stay in range).
    /// </summary>
    public static void CheckSize(long inputDim, long frequencies)
    {
        const long maxFrequencies = 1 << 28;
        if (frequencies > maxFrequencies)
            throw new RepDiffInputException($"--rff-dim {frequencies} asks for {2 * frequencies} features per representation, more than any machine can hold (at most {maxFrequencies}); lower --rff-dim (default 3000)");
        DenseMemory.EnsureFits(inputDim, frequencies, $"--rff-dim {frequencies}: the random frequencies", "lower --rff-dim (default 3000)");
    }

    /// <summary>features (batch × 2r) = [cos(xΩ), sin(xΩ)] / √r, one row per row of xBatch.</summary>
    public void Map(Matrix xBatch, Matrix features) => Map(xBatch, features, 0);

    /// <summary>Writes [cos(xΩ), sin(xΩ)] / √r into columns [column, column + 2r) of each features row (the rest untouched).</summary>
    public void Map(Matrix xBatch, Matrix features, int column)
    {
        int r = Frequencies;
        if (xBatch.Cols != InputDim) throw new ArgumentException($"rows have {xBatch.Cols} dimensions, the frequencies expect {InputDim}");
        if (features.Rows != xBatch.Rows || column < 0 || features.Cols < column + 2 * r)
            throw new ArgumentException($"features is {features.Rows}x{features.Cols}, expected {xBatch.Rows} rows with columns {column}..{column + 2 * r}");
        // xΩ lands in the first r of the 2r columns, then becomes cos and sin in place.
        Gemm.Compute(xBatch.Rows, r, InputDim, 1f, xBatch.Data, 0, InputDim, false, Omega.Data, 0, r, false, 0f, features.Data, column, features.Cols);
        double scale = 1 / Math.Sqrt(r);
        Gemm.ParallelFor(xBatch.Rows, Environment.ProcessorCount, i =>
        {
            var row = features.Row(i).Slice(column, 2 * r);
            CosSin(row[..r], row[r..], scale);
        });
    }

    /// <summary>
    /// cos(z)·scale over z in place, and sin(z)·scale into sin, computed in double: z = k·π/2 + t with |t| ≤ π/4
    /// (π/2 in two parts, so t is exact to double precision for |z| &lt; 2²⁰), then minimax polynomials for sin t
    /// and cos t (the fdlibm coefficients, accurate to double precision on [−π/4, π/4]) and the quadrant of k.
    /// Written here rather than calling TensorPrimitives.Sin/Cos: those run slowly until tiered compilation has
    /// recompiled them, which is most of a first SPEC call's feature map.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void CosSin(Span<float> z, Span<float> sin, double scale)
    {
        const double TwoOverPi = 0.63661977236758134308, PiOver2Hi = 1.57079632673412561417, PiOver2Lo = 6.07710050650619224932e-11;
        const double Round = 6755399441055744.0;  // 1.5·2⁵²: adding it rounds to the nearest integer (|z| < 2⁵⁰)
        const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03, S3 = -1.98412698298579493134e-04,
            S4 = 2.75573137070700676789e-06, S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
        const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03, C3 = 2.48015872894767294178e-05,
            C4 = -2.75573143513906633035e-07, C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
        int n = z.Length, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            ref float zr = ref MemoryMarshal.GetReference(z);
            ref float sr = ref MemoryMarshal.GetReference(sin);
            var vScale = Vector256.Create(scale);
            for (; i <= n - 4; i += 4)
            {
                var x = Vector256.WidenLower(Vector128.LoadUnsafe(ref zr, (nuint)i).ToVector256Unsafe());
                var shifted = Vector256.FusedMultiplyAdd(x, V(TwoOverPi), V(Round));
                var k = shifted - V(Round);
                var q = shifted.AsInt64();  // the low mantissa bits of k + 1.5·2⁵² hold k in two's complement: q & 3 = k mod 4
                var t = Vector256.FusedMultiplyAdd(k, V(-PiOver2Lo), Vector256.FusedMultiplyAdd(k, V(-PiOver2Hi), x));
                var t2 = t * t;
                var sinPoly = Horner(t2, S6, S5, S4, S3, S2, S1);
                var cosPoly = Horner(t2, C6, C5, C4, C3, C2, C1);
                var sinT = Vector256.FusedMultiplyAdd(t * t2, sinPoly, t);
                var cosT = Vector256.FusedMultiplyAdd(t2 * t2, cosPoly, Vector256.FusedMultiplyAdd(t2, V(-0.5), V(1.0)));
                var odd = Vector256.Equals(q & Vector256<long>.One, Vector256<long>.One).AsDouble();
                var s = Vector256.ConditionalSelect(odd, cosT, sinT);  // sin z = ±(sin t or cos t) by quadrant
                var c = Vector256.ConditionalSelect(odd, sinT, cosT);
                var negateSin = Vector256.ShiftLeft(q & Vector256.Create(2L), 62).AsDouble();                       // q = 2, 3
                var negateCos = Vector256.ShiftLeft((q + Vector256<long>.One) & Vector256.Create(2L), 62).AsDouble();  // q = 1, 2
                var sinOut = Vector256.Narrow((s ^ negateSin) * vScale, Vector256<double>.Zero).GetLower();
                var cosOut = Vector256.Narrow((c ^ negateCos) * vScale, Vector256<double>.Zero).GetLower();
                sinOut.StoreUnsafe(ref sr, (nuint)i);
                cosOut.StoreUnsafe(ref zr, (nuint)i);
            }
        }
        for (; i < n; i++)  // the last few: the library's double sin and cos agree with the above to ~1e-16
        {
            double x = z[i];
            sin[i] = (float)(Math.Sin(x) * scale);
            z[i] = (float)(Math.Cos(x) * scale);
        }
    }

    private static Vector256<double> V(double value) => Vector256.Create(value);

    // c0 + t2·(c1 + t2·(c2 + ...)) for coefficients from the highest power down: Horner(t2, c5, c4, ..., c0).
    private static Vector256<double> Horner(Vector256<double> t2, double c5, double c4, double c3, double c2, double c1, double c0)
    {
        var p = Vector256.FusedMultiplyAdd(V(c5), t2, V(c4));
        p = Vector256.FusedMultiplyAdd(p, t2, V(c3));
        p = Vector256.FusedMultiplyAdd(p, t2, V(c2));
        p = Vector256.FusedMultiplyAdd(p, t2, V(c1));
        return Vector256.FusedMultiplyAdd(p, t2, V(c0));
    }

    /// <summary>Loads Ω from .npy; the file must have one row per input dimension.</summary>
    /// <summary>Largest frequency read from a file: with inputs below 1e15 (<see cref="IO.ValueRange"/>) phases stay below 1e37.</summary>
    public const double MaxFrequency = 1e16;

    /// <summary>Smallest bandwidth the sampled frequencies (of order 1/sigma) allow: see <see cref="MaxFrequency"/>.</summary>
    public const double MinSigma = 1 / MaxFrequency;

    /// <summary>
    /// Fewer frequencies than this estimate each kernel entry with a standard deviation above about 0.1 (1/√r for a pair far
    /// apart, √(1/2r) for a row with itself), on values from 0 to 1: the kernel a run compares is mostly noise.
    /// </summary>
    public const int FewestUseful = 100;

    /// <summary>A warning when <paramref name="count"/> frequencies are too few to approximate the kernel (<see cref="FewestUseful"/>); null otherwise.</summary>
    public static string? TooFew(int count, string flag) => count >= FewestUseful ? null
        : $"{flag} {count}: so few random Fourier frequencies estimate each kernel entry to about ±{1 / Math.Sqrt(count):0.##} (1/√{count}) on values from 0 to 1, "
          + $"so the concepts come mostly from the random frequencies; use {FewestUseful} or more";

    /// <summary>Refuses a bandwidth whose frequencies would overflow the features' phases, naming the option.</summary>
    public static void CheckSigma(double sigma, string property)
    {
        if (sigma < MinSigma)
            throw new Options.InvalidOptionException(property,
                $"{sigma:G3} is below {MinSigma:0e0}: random Fourier frequencies are of order 1/sigma and beyond {MaxFrequency:0e0} their phases overflow; the exact route takes it");
    }

    /// <summary>
    /// Frequencies a method option named (<paramref name="property"/>: spec's OmegaA or OmegaB, finc's Omega): every refusal names
    /// that option, as a missing file's does, so a file of the other side's dimensions says which side it was given for.
    /// </summary>
    public static RandomFourierFeatures Load(string npyPath, int expectedInputDim, string property) =>
        Options.InvalidOptionException.ReadingFile(property, npyPath, () => Load(npyPath, expectedInputDim));

    public static RandomFourierFeatures Load(string npyPath, int expectedInputDim)
    {
        var omega = Npy.ReadMatrix(npyPath);
        if (omega.Rows != expectedInputDim)
            throw RepDiffInputException.ForFile(npyPath,
                $"frequency matrix is {omega.Rows}×{omega.Cols} but the representation has {expectedInputDim} dimensions (expected {expectedInputDim}×r)");
        if (omega.Cols == 0) throw RepDiffInputException.ForFile(npyPath, "frequency matrix has no columns");
        foreach (float v in omega.Data)
        {
            if (!float.IsFinite(v)) throw RepDiffInputException.ForFile(npyPath, "frequency matrix contains NaN or infinite values");
            // Frequencies are about 1/sigma; beyond this the phases x·ω of in-range data overflow float32.
            if (Math.Abs(v) > MaxFrequency)
                throw RepDiffInputException.ForFile(npyPath, $"frequency {v:G3} is beyond {MaxFrequency:G0}; frequencies are of order 1/sigma (is this an omega file of an earlier run?)");
        }
        // An all-zero matrix is an infinite bandwidth: every feature is constant, every kernel value 1, and any two sets
        // look the same whatever they hold (FINC then reported round-off as modes, review 174).
        if (omega.Data.All(v => v == 0))
            throw RepDiffInputException.ForFile(npyPath, "frequency matrix is all zeros, so every Fourier feature is constant and no two samples differ; frequencies are of order 1/sigma");
        return new RandomFourierFeatures(omega);
    }

    public void Save(string npyPath) => Npy.Write(npyPath, Omega);
}
