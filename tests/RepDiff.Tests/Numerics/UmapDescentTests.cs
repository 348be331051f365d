using System.Runtime.Intrinsics;
using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

/// <summary>
/// The tuned descent (<see cref="UmapDescent"/>) against a plain statement of the same block scheme, written edge by
/// edge with every position read from and written to the arrays: the tuning (edges found eight at a time, the head in
/// registers, negative samples' lanes built in registers) must not change a bit of the layout. The curve's coefficients
/// are the descent's own functions (their accuracy is <see cref="PowerMatchesDoublePrecisionPow"/>'s to check).
/// </summary>
public class UmapDescentTests
{
    [Theory]
    [InlineData(5, false)]
    [InlineData(5, true)]
    [InlineData(12, false)] // more than eight negative samples per edge: two vectors of them
    public void TunedDescentGivesTheBytesOfThePlainBlockScheme(int negativeRate, bool anchored)
    {
        var (x, _) = UmapTestData.Blobs(4, 400, 12, seed: 8, separation: 2);
        Assert.True(UmapDescent.BlockCount(x.Rows) > 1);
        var graph = FuzzyGraph.FromNeighbours(NearestNeighbours.Exact(x, 14));
        var options = new UmapOptions { Epochs = 40, NegativeSampleRate = negativeRate, AnchorStrength = anchored ? 0.01 : 0 };
        var (a, b) = UmapCurve.Fit(options.MinDist, options.Spread);
        var rng = new Random(3);
        var start = Enumerable.Range(0, 2 * x.Rows).Select(_ => (float)(10 * rng.NextDouble())).ToArray();
        var anchor = anchored ? (float[])start.Clone() : null;

        var tuned = (float[])start.Clone();
        UmapDescent.Run(graph, tuned, anchor, options, (float)a, (float)b, seed: 4, progress: null);
        var plain = (float[])start.Clone();
        PlainBlockDescent(graph, plain, anchor, options, (float)a, (float)b, seed: 4);

        Assert.Equal(plain, tuned);
        Assert.NotEqual(start, tuned);
    }

    [Fact]
    public void PowerMatchesDoublePrecisionPow()
    {
        // The descent's exponents (b and b − 1 of min_dist 0.1, and others min_dist can give) over every squared distance
        // a layout meets, subnormal to huge: within 3·10⁻⁷ relative, plus 10⁻⁷ per unit of |p·log₂ x| (the float rounding
        // of p·log₂ x itself), powf's own rounding being about 6·10⁻⁸.
        var rng = new Random(5);
        foreach (float p in new[] { 0.8950609f, -0.1049391f, 0.5f, 1.7f, -0.9f })
            for (int i = 0; i < 4000; i++)
            {
                var x = Vector256.Create(Enumerable.Range(0, 8).Select(_ => MathF.Pow(10, (float)(rng.NextDouble() * 76 - 38))).ToArray());
                var got = UmapDescent.Power(x, p);
                for (int lane = 0; lane < 8; lane++)
                {
                    double xl = Math.Max(x[lane], 1.17549435e-38), y = Math.Clamp(p * Math.Log2(xl), -125, 126);
                    double want = Math.Pow(2, y), error = Math.Abs(got[lane] - want) / want;
                    Assert.True(error <= 3e-7 + 1e-7 * Math.Abs(y), $"{x[lane]}^{p}: {got[lane]} against {want}");
                }
            }
        // A zero lane (masked by the caller) still gives a finite value, never NaN or ∞.
        Assert.True(float.IsFinite(UmapDescent.Power(Vector256<float>.Zero, -0.1f)[0]));
    }

    /// <summary>
    /// docs/methods/maps.md "Layout", step by step: each block's sampled edges in order (own points live, others from
    /// the epoch's snapshot; edges whose tail another block owns recorded), then each block pulls its recorded tails.
    /// </summary>
    private static void PlainBlockDescent(FuzzyGraph graph, float[] embedding, float[]? anchor, UmapOptions options, float a, float b, int seed)
    {
        int n = graph.N, epochs = options.EpochsFor(n), rate = options.NegativeSampleRate;
        float attract = -2f * a * b, repel = 2f * (float)options.RepulsionStrength * b, anchorStrength = (float)options.AnchorStrength;
        float maxWeight = graph.Weights.Max();
        var heads = new List<int>();
        var tails = new List<int>();
        var perSample = new List<double>();
        for (int i = 0; i < n; i++)
            for (int e = graph.RowStart[i]; e < graph.RowStart[i + 1]; e++)
                if (graph.Weights[e] >= maxWeight / epochs && graph.Weights[e] > 0)
                {
                    heads.Add(i);
                    tails.Add(graph.Columns[e]);
                    perSample.Add(maxWeight / graph.Weights[e]);
                }
        int edges = heads.Count;
        var nextSample = perSample.ToArray();
        var perNegative = perSample.Select(p => rate > 0 ? p / rate : double.PositiveInfinity).ToArray();
        var nextNegative = (double[])perNegative.Clone();

        int blocks = UmapDescent.BlockCount(n);
        var pointStart = new int[blocks + 1];
        var edgeStart = new int[blocks + 1];
        pointStart[blocks] = n;
        edgeStart[blocks] = edges;
        for (int k = 1; k < blocks; k++)
        {
            long target = (long)edges * k / blocks;
            pointStart[k] = Math.Max(target < edges ? heads[(int)target] : n, pointStart[k - 1]);
            int first = edgeStart[k - 1];
            while (first < edges && heads[first] < pointStart[k]) first++;
            edgeStart[k] = first;
        }
        int BlockOf(int i) => Enumerable.Range(0, blocks).Last(k => pointStart[k] <= i);
        var states = Enumerable.Range(0, blocks)
            .Select(k => ((ulong)(uint)Rng.Derive(Rng.Derive(seed, 11), k) * 0x9E3779B97F4A7C15UL) | 1).ToArray();
        static float Clip(float v) => Math.Clamp(v, -4f, 4f);

        var snapshot = (float[])embedding.Clone();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            float alpha = (float)(options.LearningRate * (1 - (double)epoch / epochs));
            float pull = anchor is null ? 0 : alpha * anchorStrength;
            var crossing = new List<(int Head, int Tail)>[blocks, blocks];
            for (int from = 0; from < blocks; from++)
                for (int to = 0; to < blocks; to++) crossing[from, to] = [];
            for (int block = 0; block < blocks; block++)
            {
                bool Own(int i) => i >= pointStart[block] && i < pointStart[block + 1];
                for (int e = edgeStart[block]; e < edgeStart[block + 1]; e++)
                {
                    if (nextSample[e] > epoch) continue;
                    int j = heads[e], k = tails[e];
                    var tailFrom = Own(k) ? embedding : snapshot;
                    float cx = embedding[2 * j], cy = embedding[2 * j + 1];
                    float tx = tailFrom[2 * k], ty = tailFrom[2 * k + 1];
                    float dx = cx - tx, dy = cy - ty, d2 = dx * dx + dy * dy;
                    if (d2 > 0)
                    {
                        float coefficient = UmapDescent.AttractionCoefficient(d2, a, b, attract);
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
                    if (Own(k))
                    {
                        embedding[2 * k] = tx;
                        embedding[2 * k + 1] = ty;
                    }
                    else crossing[block, BlockOf(k)].Add((j, k));
                    nextSample[e] += perSample[e];
                    int negatives = (int)((epoch - nextNegative[e]) / perNegative[e]);
                    for (int done = 0; done < negatives; done += 8)
                    {
                        // Eight offsets head − sample (zero for the head itself and for unused lanes), one vector x^b.
                        var ox = new float[8];
                        var oy = new float[8];
                        for (int p = 0; p < Math.Min(8, negatives - done); p++)
                        {
                            ulong s = states[block];
                            s ^= s << 13;
                            s ^= s >> 7;
                            s ^= s << 17;
                            states[block] = s;
                            int other = (int)(((s >> 32) * (ulong)n) >> 32);
                            if (other == j) continue;
                            var from = Own(other) ? embedding : snapshot;
                            ox[p] = cx - from[2 * other];
                            oy[p] = cy - from[2 * other + 1];
                        }
                        var vx = Vector256.Create(ox);
                        var vy = Vector256.Create(oy);
                        var o2 = vx * vx + vy * vy;
                        var valid = Vector256.GreaterThan(o2, Vector256<float>.Zero);
                        var coefficient = Vector256.ConditionalSelect(valid, UmapDescent.RepulsionCoefficients(o2, a, b, repel), Vector256<float>.Zero);
                        var four = Vector256.Create(4f);
                        cx += Vector256.Sum(Vector256.Min(Vector256.Max(coefficient * vx, -four), four)) * alpha;
                        cy += Vector256.Sum(Vector256.Min(Vector256.Max(coefficient * vy, -four), four)) * alpha;
                    }
                    embedding[2 * j] = cx;
                    embedding[2 * j + 1] = cy;
                    nextNegative[e] += negatives * perNegative[e];
                }
            }
            if (blocks == 1) continue;
            Array.Copy(embedding, snapshot, embedding.Length);
            for (int block = 0; block < blocks; block++)
                for (int from = 0; from < blocks; from++)
                    foreach (var (j, k) in crossing[from, block])
                    {
                        float tx = embedding[2 * k], ty = embedding[2 * k + 1];
                        float dx = snapshot[2 * j] - tx, dy = snapshot[2 * j + 1] - ty, d2 = dx * dx + dy * dy;
                        if (d2 > 0)
                        {
                            float coefficient = UmapDescent.AttractionCoefficient(d2, a, b, attract);
                            tx -= Clip(coefficient * dx) * alpha;
                            ty -= Clip(coefficient * dy) * alpha;
                        }
                        if (anchor is not null)
                        {
                            tx += pull * (anchor[2 * k] - tx);
                            ty += pull * (anchor[2 * k + 1] - ty);
                        }
                        embedding[2 * k] = tx;
                        embedding[2 * k + 1] = ty;
                    }
            Array.Copy(embedding, snapshot, embedding.Length);
        }
    }
}
