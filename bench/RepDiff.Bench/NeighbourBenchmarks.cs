using RepDiff.Metrics;
using RepDiff.Numerics;

namespace RepDiff.Bench;

/// <summary>The exact nearest-neighbour lists under the context's mutual k-NN and the report's maps.</summary>
public static class NeighbourBenchmarks
{
    /// <summary>
    /// `exact-neighbours n d [rounds]`: the 14 nearest of every row of a uniform random n × d matrix (the shared width), each
    /// distance computed once, against every row block's distances to all rows (the way before, n²·d multiply-adds instead
    /// of n²·d/2), alternately in the same process. GFLOP/s counts the symmetric work, n²·d flops. Then whether the two agree,
    /// and with `check` whether the lists equal those of the whole n × n matrix (<see cref="Distances.SquaredEuclidean(Matrix)"/>),
    /// and how many rows the two ways order differently (the way before centred each block on its own mean: round-off apart).
    /// </summary>
    [Bench("exact-neighbours")]
    public static void Exact(string[] args)
    {
        int n = int.Parse(args[0]), d = int.Parse(args[1]), rounds = args.Length > 2 ? int.Parse(args[2]) : 3;
        bool check = args.Contains("check");
        const int k = PairStatistics.SharedNeighbours;
        var x = SpecBenchmarks.Random(n, d, 1);
        var sizes = new Dictionary<string, object> { ["n"] = n, ["d"] = d, ["k"] = k };
        int[] once = [], againstAll = [];
        for (int round = 0; round < rounds; round++)
        {
            Harness.Measure("exact_neighbours.each_distance_once", sizes, () => once = MutualKnn.Neighbours(x, k), (double)n * n * d, warmUp: round == 0);
            Harness.Measure("exact_neighbours.blocks_against_all_rows", sizes, () => againstAll = AgainstAllRows(x, k), (double)n * n * d, warmUp: round == 0);
        }
        Console.Error.WriteLine(once.AsSpan().SequenceEqual(againstAll) ? "lists agree" : "LISTS DIFFER");
        if (check)
        {
            var full = Distances.SquaredEuclidean(x);
            var reference = new int[(long)n * k];
            Parallel.For(0, n, i => Selection.Smallest(full.Row(i), reference.AsSpan(i * k, k), skip: i));
            Console.Error.WriteLine($"once vs full matrix: {(once.AsSpan().SequenceEqual(reference) ? "same" : "DIFFER")}");
            int rowsDiffer = 0, setsDiffer = 0, sets10Differ = 0;
            for (int i = 0; i < n; i++)
            {
                var a = againstAll.AsSpan(i * k, k).ToArray();
                var b = once.AsSpan(i * k, k).ToArray();
                if (!a.SequenceEqual(b)) rowsDiffer++;
                if (!a.Order().SequenceEqual(b.Order())) setsDiffer++;
                if (!a.Take(10).Order().SequenceEqual(b.Take(10).Order())) sets10Differ++;
            }
            Console.Error.WriteLine($"blocks against all rows vs each distance once: {rowsDiffer} rows ordered differently, {setsDiffer} with other sets of {k}, {sets10Differ} with other sets of 10");
        }
    }

    // Every block of rows against all rows, each row's k smallest selected from its whole row of distances.
    private static int[] AgainstAllRows(Matrix x, int k)
    {
        int n = x.Rows, block = Math.Clamp(16_000_000 / n, 1, n);
        var result = new int[(long)n * k];
        var toAll = new DistancesToRows(x);
        var rows = new Matrix(block, x.Cols);
        for (int first = 0; first < n; first += block)
        {
            int count = Math.Min(block, n - first);
            if (rows.Rows != count) rows = new Matrix(count, x.Cols);
            x.ReadRows(first, count, rows.Data);
            var d2 = toAll.From(rows);
            Parallel.For(0, count, r => Selection.Smallest(d2.Row(r), result.AsSpan((first + r) * k, k), skip: first + r));
        }
        return result;
    }
}
