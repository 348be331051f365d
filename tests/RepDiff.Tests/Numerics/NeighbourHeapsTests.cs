using RepDiff.Numerics;

namespace RepDiff.Tests.Numerics;

public class NeighbourHeapsTests
{
    [Fact]
    public void EndsAsTheFirstKCandidatesByDistanceThenIndexWhateverTheOrderOffered()
    {
        // Many equal distances, repeats of the same candidate, and fewer candidates than slots in one heap.
        var random = new Random(5);
        var candidates = Enumerable.Range(0, 40).Select(j => (Index: j, Distance: (float)random.Next(6))).ToArray();
        var expected = candidates.OrderBy(c => c.Distance).ThenBy(c => c.Index).Take(7).ToArray();
        for (int round = 0; round < 20; round++)
        {
            var heaps = new NeighbourHeaps(2, 7);
            foreach (var c in candidates.Concat(candidates).OrderBy(_ => random.Next())) heaps.Push(0, c.Index, c.Distance, false);
            heaps.Push(1, 3, 2f, false);
            heaps.Push(1, 1, 2f, false);
            var indices = new int[7];
            var squared = new float[7];
            Assert.Equal(7, heaps.Sorted(0, indices, squared));
            Assert.Equal(expected.Select(c => c.Index), indices);
            Assert.Equal(expected.Select(c => c.Distance), squared);
            Assert.Equal(2, heaps.Sorted(1, indices, squared));
            Assert.Equal([1, 3], indices[..2]);
        }
    }
}
