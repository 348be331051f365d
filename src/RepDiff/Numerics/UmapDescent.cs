using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RepDiff.Numerics;

/// <summary>
/// UMAP's stochastic gradient descent (umap-learn's optimize_layout_euclidean) on both cores, with a result that does
/// not depend on thread timing. The points are cut into a fixed number of blocks of consecutive points (about equal
/// edge counts; the number depends on n only, never on the core count), and each block's edges (grouped by head
/// point) are sampled by one task with its own seeded random stream. An epoch has two parallel phases. First each
/// block samples its edges, moving its own points at once as the one-thread descent does and seeing every other point
/// where it stood when the epoch began; a sampled edge whose tail lies in another block is only recorded. Then each
/// block pulls its own tail points of the recorded edges toward their heads (read where phase one left them), one edge
/// after another in block order, so a point that is the tail of many edges moves step by step, as in the one-thread
/// descent, rather than by a sum of stale pulls (which diverged on a hub). Each epoch is a fixed function of the
/// previous one. docs/methods/maps.md ("Layout") gives the reasoning and the measured cost.
/// </summary>
internal sealed class UmapDescent
{
    /// <summary>Most blocks: enough for two cores to balance, few enough that most moves stay inside a block's epoch.</summary>
    internal const int MaxBlocks = 8;

    /// <summary>Fewest points per block: below this the stale view of other blocks would be most of what a point sees.</summary>
    private const int MinBlockPoints = 512;

    private const int Lanes = 8;

    private readonly int[] heads, tails, edgeStart, pointStart;
    /// <summary>Per edge, the first epoch it is sampled in (the ceiling of nextSample), padded by one vector of never.</summary>
    private readonly int[] dueEpoch;
    private readonly double[] perSample, perNegative, nextSample, nextNegative;
    private readonly float[] embedding, snapshot;
    private readonly float[]? anchor;
    private readonly ulong[] states;
    /// <summary>[head block × blocks + tail block]: the sampled edges (head, tail) whose tail another block moves.</summary>
    private readonly List<(int Head, int Tail)>[] crossing;
    private readonly int n;
    private readonly float a, b, attract, repel, anchorStrength;

    private UmapDescent(FuzzyGraph graph, float[] embedding, float[]? anchor, UmapOptions options, float a, float b, int epochs, int seed)
    {
        n = graph.N;
        this.embedding = embedding;
        this.anchor = anchor;
        this.a = a;
        this.b = b;
        float gamma = (float)options.RepulsionStrength;
        attract = -2f * a * b;
        repel = 2f * gamma * b;
        anchorStrength = (float)options.AnchorStrength;

        // Edges weaker than max_w/epochs would never be sampled: dropped first, as umap-learn does. The graph's rows
        // are in point order, so the edges stay grouped by head point.
        float maxWeight = graph.Weights.Length == 0 ? 0 : graph.Weights.Max();
        float threshold = maxWeight / epochs;
        int edges = graph.Weights.Count(w => w >= threshold && w > 0);
        // Counted first, so each array is allocated once at its size (growing lists had been a tenth of the run's page faults).
        heads = IO.PageAdvice.NewArray<int>(edges);
        tails = IO.PageAdvice.NewArray<int>(edges);
        perSample = IO.PageAdvice.NewArray<double>(edges);
        for (int i = 0, kept = 0; i < n; i++)
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
            {
                float w = graph.Weights[e];
                if (w < threshold || w <= 0) continue;
                heads[kept] = i;
                tails[kept] = graph.Columns[e];
                perSample[kept++] = maxWeight / w;
            }
        perNegative = IO.PageAdvice.NewArray<double>(edges);
        nextSample = (double[])perSample.Clone();
        nextNegative = IO.PageAdvice.NewArray<double>(edges);
        int rate = options.NegativeSampleRate;
        for (int e = 0; e < edges; e++)
        {
            perNegative[e] = rate > 0 ? perSample[e] / rate : double.PositiveInfinity;
            nextNegative[e] = perNegative[e];
        }

        // nextSample ≤ epoch exactly when its ceiling is, so a vector compare of ints finds the edges due in an epoch.
        dueEpoch = new int[edges + Lanes];
        for (int e = 0; e < dueEpoch.Length; e++) dueEpoch[e] = e < edges ? (int)Math.Ceiling(nextSample[e]) : int.MaxValue;
        int blocks = BlockCount(n);
        pointStart = new int[blocks + 1];
        edgeStart = new int[blocks + 1];
        pointStart[blocks] = n;
        edgeStart[blocks] = edges;
        for (int k = 1; k < blocks; k++)
        {
            // The block boundary is the head point of the edge at the k-th share of the edges (never before the previous one).
            long target = (long)edges * k / blocks;
            int point = target < edges ? heads[target] : n;
            pointStart[k] = Math.Max(point, pointStart[k - 1]);
            int first = edgeStart[k - 1];
            while (first < edges && heads[first] < pointStart[k]) first++;
            edgeStart[k] = first;
        }
        states = new ulong[blocks];
        for (int k = 0; k < blocks; k++) states[k] = ((ulong)(uint)Rng.Derive(Rng.Derive(seed, 11), k) * 0x9E3779B97F4A7C15UL) | 1;
        crossing = new List<(int, int)>[blocks * blocks];
        for (int k = 0; k < crossing.Length; k++) crossing[k] = [];
        snapshot = (float[])embedding.Clone();
    }

    /// <summary>
    /// How many blocks n points are cut into: a function of n alone, so the layout is the same on any machine; an even
    /// count, so two cores get equal shares (3 blocks at n = 2,000 left one core idle a third of every epoch: its maps
    /// took 2.0–2.1 s against 1.5–1.8 s with 2 blocks).
    /// </summary>
    internal static int BlockCount(int n)
    {
        int blocks = Math.Clamp(n / MinBlockPoints, 1, MaxBlocks);
        return blocks > 1 ? blocks / 2 * 2 : 1;
    }

    /// <summary>
    /// Runs the descent on embedding (x, y interleaved) in place: each edge sampled every max_w/w epochs, pulling both
    /// ends together along the curve's gradient and pushing the head from negative_sample_rate random points;
    /// gradients clipped to ±4, learning rate falling linearly to 0; with anchor, both ends of a sample are also pulled
    /// anchorStrength × the learning rate of the way back to their start.
    /// </summary>
    public static void Run(FuzzyGraph graph, float[] embedding, float[]? anchor, UmapOptions options, float a, float b, int seed,
        IProgress<ProgressUpdate>? progress)
    {
        int epochs = options.EpochsFor(graph.N);
        var descent = new UmapDescent(graph, embedding, anchor, options, a, b, epochs, seed);
        int blocks = descent.states.Length;
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float alpha = (float)(options.LearningRate * (1 - (double)epoch / epochs));
            int current = epoch;
            if (blocks == 1) descent.Block(0, current, alpha);
            else
            {
                int threads = Math.Min(blocks, Environment.ProcessorCount);
                Gemm.ParallelFor(blocks, threads, block => descent.Block(block, current, alpha));
                Array.Copy(descent.embedding, descent.snapshot, descent.embedding.Length);
                Gemm.ParallelFor(blocks, threads, block => descent.PullTails(block, alpha));
                Array.Copy(descent.embedding, descent.snapshot, descent.embedding.Length);
            }
            if (epoch % 10 == 0) progress.Report("umap layout", (double)epoch / epochs);
        }
        progress.Report("umap layout", 1);
    }

    /// <summary>
    /// Phase two of an epoch for one block: its points that are tails of edges sampled by other blocks are pulled toward
    /// those heads (as they stand after phase one, in the snapshot), edge by edge, head blocks in order.
    /// </summary>
    private void PullTails(int block, float alpha)
    {
        int blocks = states.Length;
        float pull = anchor is null ? 0 : alpha * anchorStrength;
        var live = embedding;
        for (int from = 0; from < blocks; from++)
        {
            var edges = crossing[from * blocks + block];
            foreach (var (j, k) in edges)
            {
                float tx = live[2 * k], ty = live[2 * k + 1];
                float dx = snapshot[2 * j] - tx, dy = snapshot[2 * j + 1] - ty;
                float d2 = dx * dx + dy * dy;
                if (d2 > 0)
                {
                    float coefficient = Attraction(d2);
                    tx -= Clip(coefficient * dx) * alpha;
                    ty -= Clip(coefficient * dy) * alpha;
                }
                if (anchor is not null)
                {
                    tx += pull * (anchor[2 * k] - tx);
                    ty += pull * (anchor[2 * k + 1] - ty);
                }
                live[2 * k] = tx;
                live[2 * k + 1] = ty;
            }
            edges.Clear();
        }
    }

    /// <summary>
    /// One epoch of one block's edges: its own points move at once, other points are read from the snapshot. The work is
    /// one long chain of dependent arithmetic per head point, so the loop keeps off it what it can: the due edges are
    /// found eight at a time, the head stays in registers over its consecutive edges (no other edge of the block moves
    /// it), and the negative samples' positions go into vector lanes in registers, not through memory (a vector read of
    /// eight values just written one by one waits for the writes to complete).
    /// </summary>
    private unsafe void Block(int block, int epoch, float alpha)
    {
        int first = edgeStart[block], end = edgeStart[block + 1];
        int lo = pointStart[block];
        uint own = (uint)(pointStart[block + 1] - lo);
        int blocks = states.Length;
        ulong state = states[block];
        float pull = anchor is null ? 0 : alpha * anchorStrength;
        var now = Vector256.Create(epoch);
        int head = -1;
        float cx = 0, cy = 0;
        fixed (int* due = dueEpoch)
        fixed (float* live = embedding, start = snapshot)
        {
            for (int e0 = first; e0 < end; e0 += Lanes)
            {
                uint dueNow = Vector256.LessThanOrEqual(Vector256.Load(due + e0), now).ExtractMostSignificantBits();
                if (end - e0 < Lanes) dueNow &= (1u << (end - e0)) - 1;
                for (; dueNow != 0; dueNow &= dueNow - 1)
                {
                    int e = e0 + BitOperations.TrailingZeroCount(dueNow);
                    int j = heads[e], k = tails[e];
                    if (j != head)
                    {
                        if (head >= 0)
                        {
                            live[2 * head] = cx;
                            live[2 * head + 1] = cy;
                        }
                        head = j;
                        cx = live[2 * j];
                        cy = live[2 * j + 1];
                    }
                    bool tailOwn = (uint)(k - lo) < own;
                    float* tailFrom = tailOwn ? live : start;
                    float tx = tailFrom[2 * k], ty = tailFrom[2 * k + 1];
                    float dx = cx - tx, dy = cy - ty;
                    float d2 = dx * dx + dy * dy;
                    if (d2 > 0)
                    {
                        float coefficient = Attraction(d2);
                        float gx = Clip(coefficient * dx) * alpha, gy = Clip(coefficient * dy) * alpha;
                        cx += gx;
                        cy += gy;
                        tx -= gx;
                        ty -= gy;
                    }
                    if (anchor is not null)
                    {
                        cx += pull * (anchor[2 * j] - cx);
                        cy += pull * (anchor[2 * j + 1] - cy);
                        tx += pull * (anchor[2 * k] - tx);
                        ty += pull * (anchor[2 * k + 1] - ty);
                    }
                    if (tailOwn)
                    {
                        live[2 * k] = tx;
                        live[2 * k + 1] = ty;
                    }
                    else crossing[block * blocks + BlockOf(k)].Add((j, k));
                    nextSample[e] += perSample[e];
                    due[e] = (int)Math.Ceiling(nextSample[e]);
                    int negatives = (int)((epoch - nextNegative[e]) / perNegative[e]);
                    for (int done = 0; done < negatives; done += Lanes)
                    {
                        // Up to eight negative samples at once, all pushing from where the head stands after its pull: one
                        // vector x^b instead of a powf call each, which was most of the descent's time.
                        int lanes = Math.Min(Lanes, negatives - done);
                        Vector256<float> atX = default, atY = default;
                        Vector256<int> drawn = default;
                        for (int p = 0; p < lanes; p++)
                        {
                            state ^= state << 13;
                            state ^= state >> 7;
                            state ^= state << 17;
                            // Multiply-shift instead of a modulo: a 64-bit division per negative sample cost more than the pow.
                            int other = (int)(((state >> 32) * (ulong)n) >> 32);
                            // The head itself is no negative sample: its lane stays empty, adding nothing, as a coincident point's.
                            if (other == j) continue;
                            float* source = (uint)(other - lo) < own ? live : start;
                            var lane = Vector256.Equals(Vector256<int>.Indices, Vector256.Create(p));
                            atX = Vector256.ConditionalSelect(lane.AsSingle(), Vector256.Create(source[2 * other]), atX);
                            atY = Vector256.ConditionalSelect(lane.AsSingle(), Vector256.Create(source[2 * other + 1]), atY);
                            drawn |= lane;
                        }
                        var filled = drawn.AsSingle();
                        var (sx, sy) = Repulsion(
                            Vector256.ConditionalSelect(filled, Vector256.Create(cx) - atX, Vector256<float>.Zero),
                            Vector256.ConditionalSelect(filled, Vector256.Create(cy) - atY, Vector256<float>.Zero));
                        cx += sx * alpha;
                        cy += sy * alpha;
                    }
                    nextNegative[e] += negatives * perNegative[e];
                }
            }
            if (head >= 0)
            {
                live[2 * head] = cx;
                live[2 * head + 1] = cy;
            }
        }
        states[block] = state;
    }

    /// <summary>
    /// The summed, clipped repulsion of up to eight offsets (head − sample) on the head: 2γb / ((0.001 + d²)(1 + a·d^2b))
    /// times the offset per axis, clipped to ±4; lanes with a zero offset (padding, the head itself, a coincident point)
    /// add nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private (float X, float Y) Repulsion(Vector256<float> ox, Vector256<float> oy)
    {
        var o2 = ox * ox + oy * oy;
        var valid = Vector256.GreaterThan(o2, Vector256<float>.Zero);
        var coefficient = Vector256.ConditionalSelect(valid, RepulsionCoefficients(o2, a, b, repel), Vector256<float>.Zero);
        // The native min and max (one instruction each, where Min/Max's NaN and signed-zero rules cost three): the
        // products are finite (positions are, and the coefficient is), and ±4 is no zero, so the clip is the same.
        var four = Vector256.Create(4f);
        var gx = Vector256.MinNative(Vector256.MaxNative(coefficient * ox, -four), four);
        var gy = Vector256.MinNative(Vector256.MaxNative(coefficient * oy, -four), four);
        return (Vector256.Sum(gx), Vector256.Sum(gy));
    }

    /// <summary>The block that owns point i (binary search over the block starts).</summary>
    private int BlockOf(int i)
    {
        int lo = 0, hi = states.Length - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (pointStart[mid] <= i) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /// <summary>The attraction coefficient −2ab·d^(2(b−1)) / (1 + a·d^(2b)) at squared distance d2 &gt; 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float Attraction(float d2) => AttractionCoefficient(d2, a, b, attract);

    /// <summary>
    /// attract·d2^(b−1) / (1 + a·d2^b) for d2 &gt; 0 (attract = −2ab): umap-learn's attract·d2^b / d2 / (1 + a·d2^b) with
    /// one power and one division. The power is <see cref="Power"/>'s, eight lanes computed for one: the head's chain
    /// of samples waits on this latency, which is that of one lane, and powf's was longer.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float AttractionCoefficient(float d2, float a, float b, float attract)
    {
        float powBLess1 = Power(Vector256.Create(d2), b - 1f).ToScalar();
        return attract * powBLess1 / (a * powBLess1 * d2 + 1f);
    }

    /// <summary>repel / ((0.001 + d²)(1 + a·d^2b)) per lane of squared distances o2 (lanes that are not positive give a finite value, for the caller to mask).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> RepulsionCoefficients(Vector256<float> o2, float a, float b, float repel)
    {
        var powB = Power(o2, b);
        return Vector256.Create(repel) / ((Vector256.Create(0.001f) + o2) * Vector256.FusedMultiplyAdd(Vector256.Create(a), powB, Vector256<float>.One));
    }

    /// <summary>
    /// x^p per lane as 2^(p·log₂x), within 3·10⁻⁷ + 10⁻⁷·|p·log₂x| relative (the rounding of p·log₂x grows with it):
    /// log₂ from the exponent bits and s = (m − 1)/(m + 1) of the mantissa m in [√½, √2) (log₂ m = s·Q(s²)), 2^r for
    /// r in [−½, ½] by a polynomial, the integer part put back in the exponent. The polynomials were fitted here
    /// (least squares at Chebyshev nodes: 7·10⁻¹⁰ and 8·10⁻⁸ relative). Lanes at or below 0 or below the smallest
    /// normal float are taken as the smallest normal, and p·log₂x is held to [−125, 126], so the result is a positive
    /// normal float: where powf would overflow to ∞ (and the coefficient it fed to ∞/∞), this stays finite. .NET's
    /// Vector256.Log and Exp work through doubles and a powf call per sample took longer: together they were about a
    /// fifth of an `rdx` command's CPU. FusedMultiplyAdd is fused on every CPU (in software where there is no FMA),
    /// so the bits do not depend on the machine.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Power(Vector256<float> x, float p)
    {
        var bits = Vector256.MaxNative(x, Vector256.Create(SmallestNormal)).AsInt32();
        // Subtracting √½'s bits before the shift puts m in [√½, √2), where log₂ m's series converges fastest.
        var exponent = (bits - Vector256.Create(0x3F3504F3)) >> 23;
        var m = (bits - (exponent << 23)).AsSingle();
        var s = (m - Vector256<float>.One) / (m + Vector256<float>.One);
        var s2 = s * s;
        var q = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(
            Vector256.Create(0.43173303f), s2, Vector256.Create(0.57671452f)), s2, Vector256.Create(0.96179885f)), s2, Vector256.Create(2.88539008f));
        var log2 = Vector256.FusedMultiplyAdd(s, q, Vector256.ConvertToSingle(exponent));
        var y = Vector256.MinNative(Vector256.MaxNative(Vector256.Create(p) * log2, Vector256.Create(-125f)), Vector256.Create(126f));
        var whole = Vector256.Round(y);
        var r = y - whole;
        var power = Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(Vector256.FusedMultiplyAdd(
            Vector256.Create(0.0013266975f), r, Vector256.Create(0.0096754646f)), r, Vector256.Create(0.055507426f)), r, Vector256.Create(0.24022122f)), r,
            Vector256.Create(0.69314695f)), r, Vector256.Create(1.0000001f));
        return (power.AsInt32() + (Vector256.ConvertToInt32(whole) << 23)).AsSingle();
    }

    private const float SmallestNormal = 1.17549435e-38f;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Clip(float v) => v > 4f ? 4f : v < -4f ? -4f : v;
}
