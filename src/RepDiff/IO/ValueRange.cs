using System.Numerics.Tensors;

namespace RepDiff.IO;

/// <summary>
/// Keeps input values inside what float32 distance arithmetic can represent. Squared distances are sums
/// of d squared differences: values near 1e19 overflow them (3.4e38), values near 1e-20 underflow them to
/// zero, and every method then fails or reads identical rows. Every method's answer is unchanged by
/// multiplying a representation by a constant (RDX normalizes its distances, the kernels take the median
/// bandwidth, the baselines and the sparse autoencoder normalize their inputs, CKA and k-NN are invariant),
/// so such a matrix is multiplied by a power of two, which changes no digit of any value, and the method
/// runs. Only an option given in the data's own units (a bandwidth, frequencies) ties the answer to the
/// scale; with one of those the input is refused instead. docs/reliability.md lists the methods.
/// </summary>
public static class ValueRange
{
    /// <summary>Largest sum of squares accepted: leaves 1e8 of headroom below float32's 3.4e38 for sums and products.</summary>
    public const double MaxSquaredNorm = 1e30;

    /// <summary>Below this largest magnitude, squared differences between rows fall toward float32's denormals (1e-38).</summary>
    public const double MinMagnitude = 1e-12;

    /// <summary>
    /// The power of two to multiply values by so that the largest magnitude is near 1, or 0 when they are
    /// safe as they are (or all zero: nothing to rescale).
    /// </summary>
    public static int ExponentFor(double maxAbs, int cols)
    {
        if (maxAbs == 0 || maxAbs >= MinMagnitude && maxAbs * maxAbs * Math.Max(1, cols) <= MaxSquaredNorm) return 0;
        return -Math.ILogB(maxAbs);
    }

    /// <summary>values × 2^exponent, exactly: in two steps when 2^exponent is beyond float32 (denormal inputs need up to 2^149).</summary>
    public static void MultiplyByPowerOfTwo(Span<float> values, int exponent)
    {
        int first = Math.Clamp(exponent, -126, 127);
        TensorPrimitives.Multiply(values, MathF.ScaleB(1f, first), values);
        if (exponent != first) TensorPrimitives.Multiply(values, MathF.ScaleB(1f, exponent - first), values);
    }

    /// <summary>
    /// The factor for values up to <paramref name="maxAbs"/> in <paramref name="name"/>; a note in
    /// <paramref name="notes"/> when it is not 1. With <paramref name="fixedScaleOption"/> (an option in the
    /// data's units that the user gave) an out-of-range input is refused instead, naming the file and the option.
    /// </summary>
    private static int Decide(double maxAbs, int cols, string name, string? fixedScaleOption, List<string> notes)
    {
        int exponent = ExponentFor(maxAbs, cols);
        if (exponent == 0) return 0;
        string problem = exponent < 0 ? "overflow" : "underflow to zero";
        if (fixedScaleOption is not null)
            throw RepDiffInputException.ForFile(name, $"values reach {maxAbs:G3}, so float32 squared distances {problem}; {fixedScaleOption} is in the data's units, " +
                $"so RepDiff cannot rescale it: rescale the data to values of order 1, or leave out {fixedScaleOption}");
        notes.Add($"{name}: values reach {maxAbs:G3}, where float32 squared distances {problem}; multiplied by 2^{exponent} " +
            "(the method is scale-invariant; strengths are in the rescaled units)");
        return exponent;
    }

    /// <summary>Rescales a matrix in place when its values are out of range (see <see cref="Decide"/>).</summary>
    public static void Fit(Matrix m, string name, string? fixedScaleOption, List<string> notes)
    {
        int exponent = Decide(MaxAbs(m.Data), m.Cols, name, fixedScaleOption, notes);
        if (exponent != 0) MultiplyByPowerOfTwo(m.Data, exponent);
    }

    /// <summary>
    /// Both representations of a pair, each on its own (every method is invariant to scaling A and B
    /// separately): the same pair when nothing is out of range, else one whose rows are rescaled as they are
    /// read (matrices in memory are rescaled in place). The caller keeps disposing the pair it opened.
    /// </summary>
    public static RepresentationPair Fit(RepresentationPair pair, string? fixedScaleOptionA, string? fixedScaleOptionB, out List<string> notes)
    {
        notes = [];
        var a = Fit([pair.RowsA], [pair.NameA], joint: false, fixedScaleOptionA, notes)[0];
        var b = Fit([pair.RowsB], [pair.NameB], joint: false, fixedScaleOptionB, notes)[0];
        if (ReferenceEquals(a, pair.RowsA) && ReferenceEquals(b, pair.RowsB)) return pair;
        return new RepresentationPair(a, b, pair.Samples) { NameA = pair.NameA, NameB = pair.NameB };
    }

    /// <summary>
    /// Row sources read in batches (streamed files): one pass finds the largest magnitude; the sources come
    /// back wrapped to multiply every row they read when a factor is needed. With <paramref name="joint"/> one
    /// factor serves all sources (FINC's two sample sets of one representation, whose kernels must agree).
    /// </summary>
    public static IRowSource[] Fit(IRowSource[] sources, string[] names, bool joint, string? fixedScaleOption, List<string> notes)
    {
        var max = sources.Select(MaxAbs).ToArray();
        var result = (IRowSource[])sources.Clone();
        if (joint)
        {
            int exponent = Decide(max.Max(), sources.Max(s => s.Cols), string.Join(" and ", names), fixedScaleOption, notes);
            if (exponent != 0) result = sources.Select(s => Scaled(s, exponent)).ToArray();
            return result;
        }
        for (int i = 0; i < sources.Length; i++)
        {
            int exponent = Decide(max[i], sources[i].Cols, names[i], fixedScaleOption, notes);
            if (exponent != 0) result[i] = Scaled(sources[i], exponent);
        }
        return result;
    }

    /// <summary>A matrix is rescaled in place (it is the caller's copy in memory); other sources are wrapped.</summary>
    private static IRowSource Scaled(IRowSource source, int exponent)
    {
        if (source is not Matrix m) return new ScaledRows(source, exponent);
        MultiplyByPowerOfTwo(m.Data, exponent);
        return m;
    }

    private static double MaxAbs(ReadOnlySpan<float> values) =>
        values.Length == 0 ? 0 : Math.Abs((double)TensorPrimitives.MaxMagnitude(values));

    /// <summary>
    /// The largest magnitude of a source's values, read in batches: a memory-mapped file on every core (its
    /// rows are read without shared state), anything else in order. A bad value (NaN, Inf) found by several
    /// batches is reported for the first of them, as a scan in order would.
    /// </summary>
    private static double MaxAbs(IRowSource source)
    {
        if (source is Matrix m) return MaxAbs(m.Data);
        int batch = Math.Max(1, (1 << 20) / Math.Max(1, source.Cols));
        int batches = (source.Rows + batch - 1) / batch;
        var maxima = new double[batches];
        var errors = new Exception?[batches];
        var buffer = new ThreadLocal<float[]>(() => PageAdvice.NewArray<float>((long)Math.Min(batch, Math.Max(1, source.Rows)) * source.Cols));
        void Scan(int b)
        {
            int first = b * batch, count = Math.Min(batch, source.Rows - first);
            try
            {
                source.ReadRows(first, count, buffer.Value);
                maxima[b] = MaxAbs(buffer.Value.AsSpan(0, count * source.Cols));
            }
            catch (Exception e) when (e is RepDiffInputException)
            {
                errors[b] = e;
            }
        }
        if (source is RowFile { ReadsConcurrently: true })
            Parallel.For(0, batches, Scan);
        else
            for (int b = 0; b < batches && errors[Math.Max(0, b - 1)] is null; b++) Scan(b);
        buffer.Dispose();
        if (errors.FirstOrDefault(e => e is not null) is { } error) throw error;
        return maxima.DefaultIfEmpty(0).Max();
    }

    /// <summary>A row source whose rows are multiplied by a power of two as they are read.</summary>
    private sealed class ScaledRows(IRowSource inner, int exponent) : IRowSource
    {
        public int Rows => inner.Rows;
        public int Cols => inner.Cols;

        public void ReadRows(int first, int count, Span<float> destination)
        {
            inner.ReadRows(first, count, destination);
            MultiplyByPowerOfTwo(destination[..(count * Cols)], exponent);
        }
    }
}
