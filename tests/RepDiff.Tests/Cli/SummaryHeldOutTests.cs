using System.Text.Json;
using RepDiff.Cli;

namespace RepDiff.Tests.Cli;

/// <summary>The terminal's held-out column (review item 6): a concept not found again has no p-value to print.</summary>
public class SummaryHeldOutTests
{
    [Fact]
    public void AConceptNotFoundAgainSaysSoInsteadOfPOne()
    {
        // HeldOutValidation gives such a concept p = 1 and no held-out score; a tested concept always has a score.
        var notFound = new Concept { Rank = 1, PValue = 1, PAdjusted = 1 };
        var tested = new Concept { Rank = 2, PValue = 1, PAdjusted = 1, HeldOutScore = 0.41 };
        Assert.True(notFound.NotFoundAgain);
        Assert.False(tested.NotFoundAgain);
        Assert.Equal("no, not found again on half the samples", Summary.HeldOut(notFound));
        Assert.Equal("no, p = 1.000 (adjusted 1.000)", Summary.HeldOut(tested));
        Assert.Equal("yes, p = 0.005 (adjusted 0.020)", Summary.HeldOut(new Concept { PValue = 0.005, PAdjusted = 0.02, HeldOutScore = 0.7 }));

        // results.json keeps the difference: the score is absent, and the concept reads back as not found again.
        string json = JsonSerializer.Serialize(notFound, Explanation.JsonOptions);
        Assert.DoesNotContain("held_out_score", json);
        Assert.True(JsonSerializer.Deserialize<Concept>(json, Explanation.JsonOptions)!.NotFoundAgain);
    }
}
