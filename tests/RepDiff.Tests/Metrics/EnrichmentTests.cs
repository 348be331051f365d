using RepDiff.Metrics;
using RepDiff.Tests.Findings;

namespace RepDiff.Tests.Metrics;

/// <summary>Over-represented metadata values among a concept's members.</summary>
public class EnrichmentTests
{
    /// <summary>10,000 samples, 600 of genre 'romance'; the first 100 samples hold 73 of them.</summary>
    private static (SampleMetadata Metadata, int[] Members) Genres()
    {
        var genre = new string?[10000];
        for (int i = 0; i < 10000; i++) genre[i] = i % 3 == 0 ? "drama" : "comedy";
        for (int i = 0; i < 73; i++) genre[i] = "romance";
        for (int i = 0; i < 527; i++) genre[1000 + 7 * i] = "romance";
        var year = Enumerable.Range(0, 10000).Select(i => (string?)(i < 100 ? 2000 + i % 50 : 1900 + i % 100).ToString()).ToArray();
        var id = Enumerable.Range(0, 10000).Select(i => (string?)$"s{i}").ToArray();
        var metadata = new SampleMetadata([new MetadataColumn("genre", genre), new MetadataColumn("year", year), new MetadataColumn("id", id)], 10000);
        return (metadata, Enumerable.Range(0, 100).ToArray());
    }

    [Fact]
    public void RomanceIsOverRepresentedWithItsExactTail()
    {
        var (metadata, members) = Genres();
        var found = new Enrichment(metadata).Of(members);
        var romance = Assert.Single(found, f => f.Value == "romance");
        Assert.Equal("73% 'romance' (whole set 6%)", romance.Phrase);
        Assert.Equal((73, 100, 600, 10000), (romance.MembersWithValue, romance.Members, romance.TotalWithValue, romance.Total));
        Assert.Equal(Math.Exp(-155.22456824940397), romance.PValue, 1e-9 * romance.PValue); // scipy hypergeom.logsf(72, 10000, 600, 100)
        Assert.Equal(Statistics.LogOddsRatio(73, 100, 600, 10000), romance.LogOddsRatio);
        // Drama and comedy are under-represented among the members: tested, never reported.
        Assert.DoesNotContain(found, f => f.Value is "drama" or "comedy");
        // year has 100+ distinct numbers: a numeric column, members are later (2000s vs 1900s).
        var year = Assert.Single(found, f => f.Column == "year");
        Assert.Null(year.Value);
        // No value to count members with: the counts of one are absent (null, left out of results.json), not 0.
        Assert.Equal((null, null, 100, 10000), (year.MembersWithValue, year.TotalWithValue, year.Members, year.Total));
        Assert.True(year.Z > 5);
        Assert.Equal(2024.5, year.MemberMean!.Value, 9);
        Assert.StartsWith("year: mean 2024 (whole set 19", year.Phrase);
        // ids: one value per sample, not tested.
        Assert.DoesNotContain(found, f => f.Column == "id");
    }

    [Fact]
    public void QValuesAreBenjaminiHochbergOverEveryTestOfTheConcept()
    {
        var (metadata, members) = Genres();
        var tests = new Enrichment(metadata).Tests(members);
        // genre: romance, comedy, drama present among members; year: one numeric test.
        Assert.Equal(4, tests.Count);
        var q = Statistics.BenjaminiHochberg(tests.Select(t => t.PValue).ToArray());
        for (int i = 0; i < tests.Count; i++) Assert.Equal(q[i], tests[i].QValue, 1e-12 + 1e-9 * q[i]);
    }

    /// <summary>
    /// 300 samples, every tenth red. Concept 1 has 4 red among 10 (p about 0.01); alone that passes BH. Beside 19 other
    /// concepts of blue samples it is one test of 21, and its card no longer claims it; 10 red of 10 still holds.
    /// </summary>
    [Fact]
    public void CardsAreCorrectedOverEveryConceptOfTheExplanation()
    {
        var colour = Enumerable.Range(0, 300).Select(i => (string?)(i % 10 == 0 ? "red" : "blue")).ToArray();
        var samples = new SampleInfo { Metadata = new SampleMetadata([new MetadataColumn("colour", colour)], 300) };
        int[] fourRed = [0, 10, 20, 30, 1, 2, 3, 4, 5, 6];
        var blueSamples = Enumerable.Range(40, 260).Where(i => i % 10 != 0).ToArray();
        var blue = Enumerable.Range(0, 19).Select(k => blueSamples[(10 * k)..(10 * k + 10)]).ToArray();

        var alone = FindingTextTests.Hand(fourRed);
        alone.N = 300;
        Enrichment.Annotate(alone, samples);
        var red = Assert.Single(alone.Directions[0].Concepts[0].Enrichment!);
        Assert.Equal("red", red.Value);
        Assert.InRange(red.PValue, 0.005, 0.02);

        var amongMany = FindingTextTests.Hand([fourRed, .. blue]);
        amongMany.N = 300;
        Enrichment.Annotate(amongMany, samples);
        Assert.All(amongMany.Directions[0].Concepts, c => Assert.Empty(c.Enrichment!));
        // The family is every test of every concept: 2 for concept 1 (red and blue), 1 for each other.
        var tests = new Enrichment(samples.Metadata!).Tests([fourRed, .. blue]);
        var all = tests.SelectMany(t => t).ToArray();
        Assert.Equal(21, all.Length);
        var q = Statistics.BenjaminiHochberg(all.Select(t => t.PValue).ToArray());
        for (int i = 0; i < all.Length; i++) Assert.Equal(q[i], all[i].QValue, 1e-12 + 1e-9 * q[i]);

        var allRed = FindingTextTests.Hand([[.. Enumerable.Range(0, 10).Select(i => 10 * i)], .. blue]);
        allRed.N = 300;
        Enrichment.Annotate(allRed, samples);
        Assert.Equal("red", Assert.Single(allRed.Directions[0].Concepts[0].Enrichment!).Value);
    }

    /// <summary>
    /// Two hundred random groups of 50 and four columns: any value a card claims is a false discovery. Each concept's own
    /// family (about 8 tests) lets several cards claim one; corrected together, at most one does.
    /// </summary>
    [Fact]
    public void RandomGroupsClaimNothingWhenCorrectedTogether()
    {
        var rng = new Random(3);
        string?[] Numbers() => Enumerable.Range(0, 1000).Select(_ => (string?)rng.NextDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var colour = Enumerable.Range(0, 1000).Select(_ => (string?)"abcde"[rng.Next(5)].ToString()).ToArray();
        var metadata = new SampleMetadata([new MetadataColumn("colour", colour), new MetadataColumn("size", Numbers()), new MetadataColumn("age", Numbers()), new MetadataColumn("price", Numbers())], 1000);
        var random = FindingTextTests.Hand(Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, 1000).OrderBy(_ => rng.Next()).Take(50).ToArray()).ToArray());
        random.N = 1000;
        Enrichment.Annotate(random, new SampleInfo { Metadata = metadata });
        Assert.True(random.Directions[0].Concepts.Count(c => c.Enrichment!.Count > 0) <= 1);
        Assert.True(random.Directions[0].Concepts.Count(c => new Enrichment(metadata).Of(c.Members).Count > 0) >= 3);
    }

    [Fact]
    public void MissingValuesAreLeftOutAndNothingIsFoundInARandomGroup()
    {
        var colour = Enumerable.Range(0, 300).Select(i => i % 10 == 0 ? null : (string?)(i % 3 == 0 ? "red" : "blue")).ToArray();
        var enrichment = new Enrichment(new SampleMetadata([new MetadataColumn("colour", colour)], 300));
        var test = enrichment.Tests(Enumerable.Range(0, 30).ToArray()).Single(t => t.Value == "red");
        Assert.Equal((27, 270), (test.Members, test.Total)); // samples 0, 10, 20 have no colour
        Assert.Empty(enrichment.Of(Enumerable.Range(0, 30).ToArray())); // members look like everyone
    }

    [Fact]
    public void LabelsAreOneMoreColumn()
    {
        var samples = new SampleInfo
        {
            Labels = new SampleLabels(["a", "b", "a"]),
            Metadata = new SampleMetadata([new MetadataColumn("genre", ["x", "y", null])], 3),
        };
        var all = SampleMetadata.WithLabels(samples)!;
        Assert.Equal(["label", "genre"], all.Columns.Select(c => c.Name));
        Assert.Equal(new string?[] { "a", "b", "a" }, all["label"]!.Values.AsEnumerable());
        Assert.Null(SampleMetadata.WithLabels(new SampleInfo()));
    }
}
