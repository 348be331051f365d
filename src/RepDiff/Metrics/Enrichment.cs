namespace RepDiff.Metrics;

/// <summary>
/// Which metadata values are over-represented among a concept's members against the whole set.
/// Categorical columns: for each value that members have, the one-sided hypergeometric p-value of
/// seeing at least that many members with it (Fisher's exact test) and the log odds ratio with a 0.5
/// continuity correction. Numeric columns (more than <see cref="MetadataColumn.MaxNumericCategories"/>
/// distinct numbers): the Mann–Whitney rank-sum z of members against the rest, two-sided, reported with
/// the two means. The p-values are Benjamini–Hochberg corrected over every test made for every group
/// tested together (each value members have, plus each numeric column; for an explanation, all its
/// concepts), and those with q ≤ alpha are reported, strongest first. Columns where more than half the samples have a value of their own (ids, free
/// text) are not tested: a value seen once says nothing about a group.
/// The index is built once per metadata (codes, counts, ranks), so each concept costs O(members).
/// </summary>
public sealed class Enrichment
{
    public const double DefaultAlpha = 0.05;

    private readonly List<Categorical> categorical = [];
    private readonly List<Numeric> numeric = [];

    public SampleMetadata Metadata { get; }

    private sealed record Categorical(string Name, int[] Codes, string[] Names, int[] Counts, int Total);

    private sealed record Numeric(string Name, double[] Values, double[] Ranks, double TieTerm, int Count, double Mean);

    public Enrichment(SampleMetadata metadata)
    {
        Metadata = metadata;
        foreach (var column in metadata.Columns)
        {
            int present = column.Values.Count(v => v is not null);
            if (present == 0) continue;
            if (column.IsCategorical)
            {
                if (column.DistinctValues > Math.Max(MetadataColumn.MaxNumericCategories, present / 2)) continue;
                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                var codes = new int[column.Values.Length];
                var counts = new List<int>();
                for (int i = 0; i < codes.Length; i++)
                {
                    string? v = column.Values[i];
                    if (v is null) { codes[i] = -1; continue; }
                    if (!index.TryGetValue(v, out int code)) { code = index.Count; index[v] = code; counts.Add(0); }
                    codes[i] = code;
                    counts[code]++;
                }
                categorical.Add(new Categorical(column.Name, codes, index.Keys.ToArray(), counts.ToArray(), present));
            }
            else
            {
                var values = column.Numbers!;
                var (ranks, tieTerm, count) = Statistics.MidRanks(values);
                double mean = values.Where(v => !double.IsNaN(v)).Average();
                numeric.Add(new Numeric(column.Name, values, ranks, tieTerm, count, mean));
            }
        }
    }

    /// <summary>Over-represented values among <paramref name="members"/> (sample indices), q ≤ alpha, strongest first.</summary>
    public List<EnrichedValue> Of(IReadOnlyCollection<int> members, double alpha = DefaultAlpha) => Reported(Tests(members), alpha);

    /// <summary>Every test made for the members, with p- and q-values, ordered by q, then by effect.</summary>
    public List<EnrichedValue> Tests(IReadOnlyCollection<int> members) => Tests([members])[0];

    /// <summary>
    /// Every test made for each group, with q-values corrected over all the groups' tests as one family (each group's
    /// ordered by q, then by effect): a card of one concept among twenty random groups would otherwise show, one time in
    /// twenty, a value that only chance put there.
    /// </summary>
    public List<List<EnrichedValue>> Tests(IReadOnlyList<IReadOnlyCollection<int>> groups)
    {
        var logP = new List<double>();
        var raw = groups.Select(members => RawTests(members, logP)).ToList();
        // In logs, so that tails below 1e-308 keep their order.
        var q = Statistics.BenjaminiHochbergLog(logP);
        var corrected = new List<List<EnrichedValue>>(raw.Count);
        int next = 0;
        foreach (var tests in raw)
        {
            var withQ = new EnrichedValue[tests.Count];
            for (int i = 0; i < withQ.Length; i++) withQ[i] = tests[i] with { QValue = Math.Exp(q[next++]) };
            corrected.Add(withQ.OrderBy(f => f.QValue).ThenByDescending(f => f.LogOddsRatio ?? Math.Abs(f.Z ?? 0)).ThenBy(f => f.Column, StringComparer.Ordinal)
                .ThenBy(f => f.Value, StringComparer.Ordinal).ToList());
        }
        return corrected;
    }

    /// <summary>The tests at q ≤ alpha whose value members have more often than the whole set (every numeric column that passes).</summary>
    private static List<EnrichedValue> Reported(List<EnrichedValue> tests, double alpha) =>
        tests.Where(t => t.QValue <= alpha && (t.Value is null || t.MembersHaveItMoreOften)).ToList();

    /// <summary>The members' tests in column order with q unset, their ln p appended to <paramref name="logP"/>.</summary>
    private List<EnrichedValue> RawTests(IReadOnlyCollection<int> members, List<double> logP)
    {
        var distinct = members as IReadOnlySet<int> ?? members.ToHashSet();
        var found = new List<EnrichedValue>();
        foreach (var column in categorical)
        {
            var counts = new Dictionary<int, int>();
            int withValue = 0;
            foreach (int m in distinct)
            {
                int code = column.Codes[m];
                if (code < 0) continue;
                counts[code] = counts.GetValueOrDefault(code) + 1;
                withValue++;
            }
            foreach (var (code, k) in counts)
            {
                int total = column.Counts[code];
                double lp = Statistics.LogHypergeometricUpperTail(column.Total, total, withValue, k);
                logP.Add(lp);
                found.Add(new EnrichedValue
                {
                    Column = column.Name, Value = column.Names[code],
                    Members = withValue, MembersWithValue = k, Total = column.Total, TotalWithValue = total,
                    LogOddsRatio = Statistics.LogOddsRatio(k, withValue, total, column.Total),
                    PValue = Math.Exp(lp), QValue = 1,
                });
            }
        }
        foreach (var column in numeric)
        {
            double rankSum = 0, sum = 0;
            int count = 0;
            foreach (int m in distinct)
            {
                if (double.IsNaN(column.Values[m])) continue;
                rankSum += column.Ranks[m];
                sum += column.Values[m];
                count++;
            }
            if (count == 0) continue;
            double z = Statistics.RankSumZ(rankSum, count, column.Count, column.TieTerm);
            double p = Statistics.TwoSidedNormalP(z);
            logP.Add(Math.Log(p));
            found.Add(new EnrichedValue
            {
                Column = column.Name, Members = count, Total = column.Count,
                MemberMean = sum / count, Mean = column.Mean, Z = z, PValue = p, QValue = 1,
            });
        }
        return found;
    }

    /// <summary>
    /// Sets <see cref="Concept.Enrichment"/> of every concept from the samples' labels and metadata (a no-op
    /// when they have neither, or when the explanation counts other samples, as FINC's two sets do), corrected
    /// over every concept of the explanation.
    /// </summary>
    public static void Annotate(Explanation explanation, SampleInfo samples, double alpha = DefaultAlpha)
    {
        if (SampleMetadata.WithLabels(samples) is not { } metadata || metadata.Count != explanation.N) return;
        var concepts = explanation.Directions.SelectMany(d => d.Concepts).ToList();
        var tests = new Enrichment(metadata).Tests(concepts.Select(c => (IReadOnlyCollection<int>)c.Members).ToList());
        for (int i = 0; i < concepts.Count; i++) concepts[i].Enrichment = Reported(tests[i], alpha);
    }
}
