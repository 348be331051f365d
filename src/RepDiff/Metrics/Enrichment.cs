namespace RepDiff.Metrics;

/// <summary>
/// Which metadata values are over-represented among a concept's members against the whole set.
/// Categorical columns: for each value that members have, the one-sided hypergeometric p-value of
/// seeing at least that many members with it (Fisher's exact test) and the log odds ratio with a 0.5
/// continuity correction. Numeric columns (more than <see cref="MetadataColumn.MaxNumericCategories"/>
/// distinct numbers): the Mann–Whitney rank-sum z of members against the rest, two-sided, reported with
/// the two means. The p-values of one concept are Benjamini–Hochberg corrected over every test made
/// for it (each value members have, plus each numeric column), and those with q ≤ alpha are reported,
/// strongest first. Columns where more than half the samples have a value of their own (ids, free
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
    public List<EnrichedValue> Of(IReadOnlyCollection<int> members, double alpha = DefaultAlpha) =>
        Tests(members).Where(t => t.QValue <= alpha && (t.Value is null || t.MembersWithValue!.Value * (long)t.Total > t.TotalWithValue!.Value * (long)t.Members)).ToList();

    /// <summary>Every test made for the members, with p- and q-values, ordered by q, then by effect.</summary>
    public List<EnrichedValue> Tests(IReadOnlyCollection<int> members)
    {
        var distinct = members as IReadOnlySet<int> ?? members.ToHashSet();
        var found = new List<EnrichedValue>();
        var logP = new List<double>();
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
        // In logs, so that tails below 1e-308 keep their order.
        var q = Statistics.BenjaminiHochbergLog(logP);
        return found.Select((f, i) => f with { QValue = Math.Exp(q[i]) })
            .OrderBy(f => f.QValue).ThenByDescending(f => f.LogOddsRatio ?? Math.Abs(f.Z ?? 0)).ThenBy(f => f.Column, StringComparer.Ordinal)
            .ThenBy(f => f.Value, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Sets <see cref="Concept.Enrichment"/> of every concept from the samples' labels and metadata (a no-op
    /// when they have neither, or when the explanation counts other samples, as FINC's two sets do).
    /// </summary>
    public static void Annotate(Explanation explanation, SampleInfo samples, double alpha = DefaultAlpha)
    {
        if (SampleMetadata.WithLabels(samples) is not { } metadata || metadata.Count != explanation.N) return;
        var enrichment = new Enrichment(metadata);
        foreach (var direction in explanation.Directions)
            foreach (var concept in direction.Concepts)
                concept.Enrichment = enrichment.Of(concept.Members, alpha);
    }

    /// <summary>Enrichment of every concept of an explanation, by direction name and rank.</summary>
    public Dictionary<(string Direction, int Rank), List<EnrichedValue>> Of(Explanation explanation, double alpha = DefaultAlpha)
    {
        if (explanation.N != Metadata.Count)
            throw new RepDiffInputException($"{Metadata.Source}: describes {Metadata.Count} samples but the {explanation.Method} results have {explanation.N}");
        return explanation.Directions.SelectMany(d => d.Concepts.Select(c => (d.Name, c)))
            .ToDictionary(x => (x.Name, x.c.Rank), x => Of(x.c.Members, alpha));
    }
}
