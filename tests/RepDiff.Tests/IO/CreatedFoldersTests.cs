using RepDiff.IO;

namespace RepDiff.Tests.IO;

public class CreatedFoldersTests
{
    [Fact]
    public void RemovesTheFoldersAFailedOutputCreatedAndNoOther()
    {
        string root = TestData.TempDir();
        string deepest = Path.Combine(root, "a", "b", "c");
        Assert.Equal(Path.Combine(root, "a"), CreatedFolders.OutermostMissing(deepest));
        Directory.CreateDirectory(deepest);
        Assert.Null(CreatedFolders.OutermostMissing(deepest));

        // Something else wrote into a/b meanwhile: c goes, a/b and a stay.
        File.WriteAllText(Path.Combine(root, "a", "b", "other.txt"), "kept");
        CreatedFolders.RemoveEmpty(deepest, Path.Combine(root, "a"));
        Assert.False(Directory.Exists(deepest));
        Assert.True(File.Exists(Path.Combine(root, "a", "b", "other.txt")));

        // Empty again: every folder up to the outermost created one goes, the root it was made in stays.
        File.Delete(Path.Combine(root, "a", "b", "other.txt"));
        Directory.CreateDirectory(deepest);
        CreatedFolders.RemoveEmpty(deepest, Path.Combine(root, "a"));
        Assert.False(Directory.Exists(Path.Combine(root, "a")));
        Assert.True(Directory.Exists(root));
    }
}
