using HpcK8s.Core.Kernels;

namespace HpcK8s.Core.Tests;

public class ShardReducerTests
{
    // A non-commutative, associative merge: concatenation, with brackets recording the tree shape.
    private static string Concat(string a, string b) => a + b;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Add_AnyOrder_GivesOrderedConcatenation(int count)
    {
        var expected = string.Concat(Enumerable.Range(0, count).Select(i => $"<{i}>"));
        foreach (var seed in new[] { 1, 2, 3 })
        {
            var reducer = new ShardReducer(count, Concat);
            var order = Enumerable.Range(0, count).ToArray();
            new Random(seed).Shuffle(order);
            foreach (var i in order)
            {
                Assert.False(reducer.IsComplete);
                reducer.Add(i, $"<{i}>");
            }

            Assert.True(reducer.IsComplete);
            Assert.Equal(expected, reducer.Result);
        }
    }

    [Fact]
    public void Add_TreeShape_IsIndependentOfArrivalOrder()
    {
        static string Bracket(string a, string b) => $"({a} {b})";
        string Run(IEnumerable<int> order)
        {
            var reducer = new ShardReducer(6, Bracket);
            foreach (var i in order)
            {
                reducer.Add(i, i.ToString());
            }

            return reducer.Result;
        }

        var forward = Run(Enumerable.Range(0, 6));
        Assert.Equal("((0 (1 2)) (3 (4 5)))", forward);
        Assert.Equal(forward, Run(Enumerable.Range(0, 6).Reverse()));
        Assert.Equal(forward, Run([3, 0, 5, 1, 4, 2]));
    }

    [Fact]
    public void Add_Duplicate_IsIgnored()
    {
        var reducer = new ShardReducer(3, Concat);
        Assert.True(reducer.Add(1, "b"));
        Assert.False(reducer.Add(1, "x"));
        reducer.Add(0, "a");
        reducer.Add(2, "c");
        Assert.Equal("abc", reducer.Result);
        Assert.Equal(3, reducer.Added);
    }

    [Fact]
    public void Result_BeforeComplete_Throws()
    {
        var reducer = new ShardReducer(2, Concat);
        reducer.Add(0, "a");
        var error = Assert.Throws<InvalidOperationException>(() => reducer.Result);
        Assert.Contains("1 of 2", error.Message);
    }
}
