namespace RepDiff.Tests;

public class ParallelRunsTests
{
    [Fact]
    public void EveryPieceRunsOnce()
    {
        var runs = new int[100];
        ParallelRuns.For(runs.Length, 2, i => Interlocked.Increment(ref runs[i]));
        Assert.All(runs, r => Assert.Equal(1, r));
    }

    [Fact]
    public void TheLowestFailingPieceThrowsItsOwnException()
    {
        for (int trial = 0; trial < 20; trial++)
        {
            // Piece 3 fails late, piece 7 at once: a loop would have thrown piece 3's.
            var error = Assert.Throws<RepDiffInputException>(() => ParallelRuns.For(10, 2, i =>
            {
                if (i == 3) { Thread.Sleep(5); throw new RepDiffInputException("piece 3"); }
                if (i == 7) throw new RepDiffInputException("piece 7");
            }));
            Assert.Equal("piece 3", error.Message);
        }
    }

    [Fact]
    public void NoPieceStartsAfterAFailureOnOneCore()
    {
        var started = new List<int>();
        Assert.Throws<InvalidOperationException>(() => ParallelRuns.For(10, 1, i =>
        {
            started.Add(i);
            if (i == 4) throw new InvalidOperationException("piece 4");
        }));
        Assert.Equal([0, 1, 2, 3, 4], started);
    }
}
