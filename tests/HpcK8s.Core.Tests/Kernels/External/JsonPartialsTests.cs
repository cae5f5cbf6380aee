using System.Text.Json.Nodes;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.External;

namespace HpcK8s.Core.Tests.Kernels.External;

public class JsonPartialsTests
{
    [Theory]
    [InlineData("1", "2", "3")]
    [InlineData("12345678901234567890", "1", "12345678901234567891")]
    [InlineData("0.5", "0.25", "0.75")]
    [InlineData("\"ab\"", "\"cd\"", "\"abcd\"")]
    [InlineData("[1]", "[2,3]", "[1,2,3]")]
    [InlineData("{\"n\":1,\"a\":[\"x\"]}", "{\"n\":2,\"a\":[\"y\"],\"b\":true}", "{\"n\":3,\"a\":[\"x\",\"y\"],\"b\":true}")]
    [InlineData("null", "{\"n\":1}", "{\"n\":1}")]
    [InlineData("{\"n\":1}", "null", "{\"n\":1}")]
    public void Merge_CombinesByKind(string left, string right, string expected) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(JsonPartials.Merge(left, right))), JsonPartials.Merge(left, right));

    [Fact]
    public void Merge_MismatchedKinds_NamesThePath()
    {
        var error = Assert.Throws<InvalidOperationException>(() => JsonPartials.Merge("{\"n\":{\"k\":1}}", "{\"n\":{\"k\":\"x\"}}"));
        Assert.Contains("$.n.k", error.Message, StringComparison.Ordinal);
        Assert.Contains("a Number and a String", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merge_IsAssociativeAndOrderPreserving_ThroughTheReducer()
    {
        var random = new Random(42);
        for (var trial = 0; trial < 200; trial++)
        {
            var count = random.Next(1, 40);
            var partials = Enumerable.Range(0, count)
                .Select(i => $"{{\"count\":{random.Next(0, 1000)},\"ids\":[{i}],\"text\":\"{(char)('a' + (i % 26))}\",\"x\":{{\"y\":{i}}}}}")
                .ToArray();
            var sequential = partials.Aggregate(JsonPartials.Merge);

            var order = Enumerable.Range(0, count).ToArray();
            random.Shuffle(order);
            var reducer = new ShardReducer(count, JsonPartials.Merge);
            foreach (var i in order)
            {
                reducer.Add(i, partials[i]);
            }

            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sequential), JsonNode.Parse(reducer.Result)), $"trial {trial}");
        }
    }
}
