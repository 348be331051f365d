using System.Text.Json.Nodes;
using RepDiff.IO;
using Xunit;

namespace RepDiff.Tests.IO;

public class ResultsJsonLayoutTests
{
    private static readonly JsonObject Document = new()
    {
        ["kind"] = "comparison",
        ["name"] = "café \"A\" <b>",
        ["empty_object"] = new JsonObject(),
        ["empty_list"] = new JsonArray(),
        ["score"] = 0.1 + 0.2,
        ["missing"] = null,
        ["explanations"] = new JsonArray(
            new JsonObject { ["members"] = new JsonArray(3, 1, 2), ["grid"] = new JsonArray(new JsonArray(1, 2), new JsonArray(3)) },
            new JsonObject { ["ids"] = new JsonArray("x", null, "y") }),
    };

    [Fact]
    public void TheTextParsesBackToTheSameDocument()
    {
        var parsed = JsonNode.Parse(ResultsJsonLayout.Text(Document));
        Assert.True(JsonNode.DeepEquals(Document, parsed));
    }

    [Fact]
    public void ValuesAreWrittenAsTheSerializerWritesThem()
    {
        // Only whitespace differs from the serializer's indented text: the same escaping and the same numbers.
        string serializer = Document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
        static string Squeeze(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c)));
        Assert.Equal(Squeeze(serializer), Squeeze(ResultsJsonLayout.Text(Document)));
    }

    [Fact]
    public void AnArrayOfPlainValuesTakesOneLineAndEverythingElseIsIndented()
    {
        string[] lines = ResultsJsonLayout.Text(Document).Split('\n');
        Assert.Contains("      \"members\": [3, 1, 2],", lines);
        Assert.Contains("      \"ids\": [\"x\", null, \"y\"]", lines);
        Assert.Contains("        [1, 2],", lines);
        Assert.Contains("  \"empty_object\": {},", lines);
        Assert.Contains("  \"empty_list\": [],", lines);
        Assert.Equal("{", lines[0]);
        Assert.Equal("}", lines[^1]);
    }
}
