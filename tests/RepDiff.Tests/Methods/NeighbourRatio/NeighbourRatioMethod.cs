using RepDiff.Methods;
using RepDiff.Numerics;
using RepDiff.Options;

namespace RepDiff.Tests.Methods.NeighbourRatio;

/// <summary>
/// A method that exists only in the tests, to show that a folder and one registry line make a method.
/// Each sample's k nearest neighbours in A are compared across the models: r_i = (their distance in B /
/// B's median distance) / (their distance in A / A's median distance). Large r: A keeps the neighbourhood
/// tight and B spreads it (more_similar_in_a); small r the reverse. Concepts are consecutive blocks of the
/// samples ranked by r, so each direction's first concept holds its most extreme samples.
/// </summary>
public sealed class NeighbourRatioMethod : PairMethod<NeighbourRatioOptions>
{
    public override string Name => "neighbour-ratio";
    public override string Description => "Test-only: samples whose nearest neighbours one model keeps close and the other spreads out.";
    public override string StrengthMeaning => "mean over the members of r, their neighbourhood's spread in the other model over its spread in the explained one, each scaled by its model's median distance";

    protected override void Validate(RepresentationPair pair, NeighbourRatioOptions o)
    {
        if (o.Neighbours >= pair.N) throw new InvalidOptionException(nameof(o.Neighbours), $"must be below the {pair.N} samples, got {o.Neighbours}");
        if ((long)o.Concepts * o.Members * 2 > pair.N)
            throw new InvalidOptionException(nameof(o.Members), $"{o.Concepts} concepts of {o.Members} members per direction need {2 * o.Concepts * o.Members} samples; there are {pair.N}");
    }

    protected override Explanation Explain(RepresentationPair pair, NeighbourRatioOptions o, IProgress<ProgressUpdate>? progress)
    {
        var da = Distances.SquaredEuclidean(pair.A);
        var db = Distances.SquaredEuclidean(pair.B);
        double medianA = Median(da), medianB = Median(db);
        int n = pair.N;
        var ratio = new double[n];
        for (int i = 0; i < n; i++)
        {
            var near = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => da[i, j]).ThenBy(j => j).Take(o.Neighbours).ToArray();
            var inA = near.Select(j => Math.Sqrt(da[i, j])).ToArray();
            var inB = near.Select(j => Math.Sqrt(db[i, j])).ToArray();
            double a = o.Scale == NeighbourScale.Mean ? inA.Average() : inA.Max(), b = o.Scale == NeighbourScale.Mean ? inB.Average() : inB.Max();
            ratio[i] = (b / Math.Sqrt(medianB)) / Math.Max(a / Math.Sqrt(medianA), 1e-12);
        }
        var ranked = Enumerable.Range(0, n).OrderByDescending(i => ratio[i]).ThenBy(i => i).ToArray();
        return new Explanation
        {
            Directions =
            [
                new Direction { Name = DirectionNames.MoreSimilarInA, Explains = "a", Concepts = Blocks(ranked, ratio, o, r => r) },
                new Direction { Name = DirectionNames.MoreSimilarInB, Explains = "b", Concepts = Blocks(ranked.Reverse().ToArray(), ratio, o, r => 1 / r) },
            ],
        };
    }

    private static List<Concept> Blocks(int[] ranked, double[] ratio, NeighbourRatioOptions o, Func<double, double> strength)
        => Enumerable.Range(0, o.Concepts).Select(c =>
        {
            var members = ranked.Skip(c * o.Members).Take(o.Members).ToArray();
            return new Concept { Rank = c + 1, Strength = members.Average(i => strength(ratio[i])), Members = members, Grid = members.Take(o.GridSize).ToArray() };
        }).ToList();

    private static double Median(Matrix squared)
    {
        var values = new List<float>();
        for (int i = 0; i < squared.Rows; i++)
            for (int j = i + 1; j < squared.Cols; j++) values.Add(squared[i, j]);
        values.Sort();
        return values[values.Count / 2];
    }
}
