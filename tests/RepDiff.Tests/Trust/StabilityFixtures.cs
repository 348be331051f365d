using RepDiff.Numerics;
using RepDiff.Tests.Numerics;

namespace RepDiff.Tests.Trust;

/// <summary>The pairs of the stability calibration (docs/methods/METHODS.md §7): planted fixtures and null pairs.</summary>
internal static class StabilityFixtures
{
    public static RepresentationPair Planted() => new(TestData.LoadFixture("planted_a.npy"), TestData.LoadFixture("planted_b.npy"));

    public static int[] PlantedGroups() => TestData.LoadFixture("planted_groups.npy").Data.Select(v => (int)v).ToArray();

    /// <summary>The first n samples of the digits pair (all 1,797 by default).</summary>
    public static RepresentationPair Digits(int n = 1797)
    {
        var rows = Enumerable.Range(0, n).ToArray();
        return new(TestData.LoadFixture("digits_m49_a.npy").SelectRows(rows), TestData.LoadFixture("digits_m49_b.npy").SelectRows(rows));
    }

    public static int[] DigitLabels() => TestData.LoadFixture("digits_labels.npy").Data.Select(v => (int)v).ToArray();

    /// <summary>
    /// A null pair: A is the first n rows of the digits model's representation (real structure), B = A·Q + ε with Q a
    /// random orthogonal matrix and ε isotropic Gaussian noise of 1% of A's scale (its root-mean-square coordinate).
    /// The two see the same geometry, so no difference is real.
    /// </summary>
    public static RepresentationPair Null(int n, int seed)
    {
        var full = TestData.LoadFixture("digits_m49_a.npy");
        var a = full.SelectRows(Enumerable.Range(0, n).ToArray());
        int d = a.Cols;
        var q = NumericsTestData.RandomOrthogonal(d, seed);
        double scale = Math.Sqrt(a.Data.Select(v => (double)v * v).Average());
        var rng = Rng.Create(seed + 1000);
        var b = new Matrix(n, d);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++)
            {
                double sum = 0;
                for (int k = 0; k < d; k++) sum += a[i, k] * q[k][j];
                b[i, j] = (float)(sum + 0.01 * scale * Rng.Normal(rng));
            }
        return new RepresentationPair(a, b);
    }

    /// <summary>
    /// The first concept of a direction with at least 20 members that fall mostly (≥ 80%) in the given groups, each
    /// group holding at least a fifth of them unless <paramref name="each"/> is false; null when none.
    /// </summary>
    public static Concept? Matching(Explanation e, string direction, int[] groups, int[] wanted, bool each = true)
    {
        var set = wanted.ToHashSet();
        return e.GetDirection(direction).Concepts.FirstOrDefault(c => c.Members.Length >= 20
            && c.Members.Count(i => set.Contains(groups[i])) >= 0.8 * c.Members.Length
            && (!each || wanted.All(w => c.Members.Count(i => groups[i] == w) >= 0.2 * c.Members.Length)));
    }
}
