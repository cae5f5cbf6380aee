using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class LedgerShardTableTests
{
    private static Hash256 Digest(int shard, int attempt) => Hash256.OfUtf8($"{shard}/{attempt}");

    [Fact]
    public void DenseShards_FirstAttemptKept_DuplicatesRefused()
    {
        var table = new LedgerShardTable();
        for (var s = 0; s < 10_000; s++)
        {
            Assert.True(table.TryAdd(s, 1, Digest(s, 1)));
        }

        Assert.False(table.TryAdd(0, 1, Digest(0, 9)));
        Assert.False(table.TryAdd(9_999, 1, Digest(0, 9)));
        Assert.True(table.TryAdd(17, 2, Digest(17, 2)));
        Assert.False(table.TryAdd(17, 2, Digest(17, 2)));
        Assert.True(table.TryAdd(17, 0, Digest(17, 0)));
        Assert.True(table.TryGetFirst(17, out var first));
        Assert.Equal(Digest(17, 1), first);
        Assert.False(table.TryGetFirst(10_000, out _));
        Assert.Equal(10_000, table.ShardCount);
        Assert.Equal(-1, table.MinShardAtOrAbove(10_000));
        Assert.Equal(9_999, table.MinShardAtOrAbove(9_999));
    }

    [Fact]
    public void SparseAndHugeShards_KeptOutsideTheArrays_AndFoundAgain()
    {
        var table = new LedgerShardTable();
        int[] shards = [int.MaxValue, 1_000_000_000, 5_000_000, 3];
        foreach (var s in shards)
        {
            Assert.True(table.TryAdd(s, int.MaxValue, Digest(s, 1)));
            Assert.False(table.TryAdd(s, int.MaxValue, Digest(s, 2)));
            Assert.True(table.TryAdd(s, 0, Digest(s, 0)));
        }

        foreach (var s in shards)
        {
            Assert.True(table.TryGetFirst(s, out var first));
            Assert.Equal(Digest(s, 1), first);
        }

        Assert.Equal(4, table.ShardCount);
        Assert.Equal(5_000_000, table.MinShardAtOrAbove(4));
        Assert.Equal(int.MaxValue, table.MinShardAtOrAbove(1_000_000_001));
        Assert.Equal(3, table.MinShardAtOrAbove(0));
    }

    [Fact]
    public void ShardsRecordedSparselyThenCoveredByGrowth_StayUnique()
    {
        var table = new LedgerShardTable();
        Assert.True(table.TryAdd(20_000, 1, Digest(20_000, 1)));
        Assert.True(table.TryAdd(20_000, 2, Digest(20_000, 2)));
        for (var s = 0; s < 20_000; s++)
        {
            Assert.True(table.TryAdd(s, 1, Digest(s, 1)));
        }

        Assert.False(table.TryAdd(20_000, 1, default));
        Assert.False(table.TryAdd(20_000, 2, default));
        Assert.True(table.TryGetFirst(20_000, out var first));
        Assert.Equal(Digest(20_000, 1), first);
        Assert.Equal(20_001, table.ShardCount);
        Assert.Equal(20_000, table.MinShardAtOrAbove(19_999 + 1));
    }

    [Fact]
    public void RandomKeys_BehaveLikeAHashSetAndFirstDigestTable()
    {
        var random = new Random(20250314);
        var table = new LedgerShardTable();
        var keys = new HashSet<(int, int)>();
        var first = new Dictionary<int, Hash256>();
        for (var n = 0; n < 50_000; n++)
        {
            var shard = random.Next(10) switch
            {
                0 => random.Next(),
                1 => random.Next(1_000_000),
                _ => random.Next(30_000),
            };
            var attempt = random.Next(4);
            var digest = Digest(n, attempt);
            var added = keys.Add((shard, attempt));
            Assert.Equal(added, table.TryAdd(shard, attempt, digest));
            if (added)
            {
                first.TryAdd(shard, digest);
            }
        }

        foreach (var (shard, digest) in first)
        {
            Assert.True(table.TryGetFirst(shard, out var found));
            Assert.Equal(digest, found);
        }

        Assert.Equal(first.Count, table.ShardCount);
        foreach (var from in new[] { 0, 1, 29_999, 30_000, 999_999, 1_000_000, int.MaxValue })
        {
            var expected = first.Keys.Where(s => s >= from).DefaultIfEmpty(-1).Min();
            Assert.Equal(expected, table.MinShardAtOrAbove(from));
        }
    }
}
