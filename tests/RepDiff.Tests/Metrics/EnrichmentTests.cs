using RepDiff.Metrics;

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
