using RepDiff.Embedding;

namespace RepDiff.Tests.Embedding;

public class InOrderHandOffTests
{
    [Fact]
    public void ItemsFinishedOutOfOrderAreHandedOnInIndexOrder()
    {
        var handed = new List<string>();
        var handOff = new InOrderHandOff<string>(handed.Add);
        handOff.Finished(2, "c");
        handOff.Finished(1, "b");
        Assert.Empty(handed);  // 0 is still running
        handOff.Finished(0, "a");
        Assert.Equal(["a", "b", "c"], handed);
        handOff.Finished(4, "e");
        handOff.Finished(3, "d");
        Assert.Equal(["a", "b", "c", "d", "e"], handed);
    }

    [Fact]
    public void ConcurrentWorkersStillHandOnInOrder()
    {
        var handed = new List<int>();
        var handOff = new InOrderHandOff<int>(handed.Add);
        Parallel.ForEach(Enumerable.Range(0, 10_000).Reverse(), new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => handOff.Finished(i, i));
        Assert.Equal(Enumerable.Range(0, 10_000), handed);
    }
}
