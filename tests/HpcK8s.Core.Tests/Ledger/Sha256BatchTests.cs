using System.Security.Cryptography;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class Sha256BatchTests
{
    // Lengths where the padding changes shape: 55 is the longest one-block message, 56..63 spill the length into a
    // second block, 64 starts one; likewise 119/120 and 127/128 for two and three blocks.
    private static readonly int[] BoundaryLengths = [0, 1, 54, 55, 56, 57, 63, 64, 65, 71, 118, 119, 120, 121, 127, 128, 129, 183, 184, 191, 192];

    // By name: the path enum is internal, and theory parameters of public tests must be public.
    public static TheoryData<string> Paths() =>
        [nameof(Sha256BatchPath.Auto), nameof(Sha256BatchPath.Vector512), nameof(Sha256BatchPath.Vector256), nameof(Sha256BatchPath.Scalar)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_EveryLengthUpTo300InOneBatch_MatchesFramework(string pathName)
    {
        var path = Enum.Parse<Sha256BatchPath>(pathName);
        if (!Supported(path))
        {
            Assert.Throws<PlatformNotSupportedException>(() => Sha256Batch.Hash(new byte[1], [1], new Hash256[1], path));
            return;
        }

        var random = new Random(1);
        var lengths = Enumerable.Range(0, 301).ToArray();
        AssertMatchesFramework(lengths, random, path);

        // The same lengths shuffled, so lanes finish at different blocks and are refilled mid-batch.
        random.Shuffle(lengths);
        AssertMatchesFramework(lengths, random, path);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_BatchesOfEverySizeUpTo40_MatchFramework(string pathName)
    {
        var path = Enum.Parse<Sha256BatchPath>(pathName);
        if (!Supported(path))
        {
            return;
        }

        var random = new Random(2);
        for (var size = 1; size <= 40; size++)
        {
            for (var round = 0; round < 4; round++)
            {
                var lengths = new int[size];
                for (var i = 0; i < size; i++)
                {
                    lengths[i] = round switch
                    {
                        0 => BoundaryLengths[random.Next(BoundaryLengths.Length)],
                        1 => 71,
                        _ => random.Next(301),
                    };
                }

                AssertMatchesFramework(lengths, random, path);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void Hash_LongMessagesAmongShortOnes_MatchFramework(string pathName)
    {
        var path = Enum.Parse<Sha256BatchPath>(pathName);
        if (!Supported(path))
        {
            return;
        }

        var random = new Random(3);
        int[] lengths = [70, 5000, 71, 0, 1000, 64, 4097, .. Enumerable.Repeat(71, 30)];
        AssertMatchesFramework(lengths, random, path);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void HashNodes_PairsOfEveryCountUpTo40_MatchHashNodeAlsoInPlace(string pathName)
    {
        var path = Enum.Parse<Sha256BatchPath>(pathName);
        if (!Supported(path))
        {
            return;
        }

        for (var children = 0; children <= 81; children++)
        {
            var level = Enumerable.Range(0, children).Select(i => Hash256.Of(BitConverter.GetBytes(i * 31))).ToArray();
            var expected = Enumerable.Range(0, children / 2).Select(i => MerkleTree.HashNode(level[2 * i], level[(2 * i) + 1])).ToArray();

            var parents = new Hash256[children / 2];
            Sha256Batch.HashNodes(level, parents, path);
            Assert.Equal(expected, parents);

            Sha256Batch.HashNodes(level, level.AsSpan(0, children / 2), path);
            Assert.Equal(expected, level[..(children / 2)]);
        }
    }

    [Fact]
    public void HashNodes_MatchFrameworkOverTheNodeBytes()
    {
        var left = Hash256.Parse("sha256:00ff102030405060708090a0b0c0d0e0f00112233445566778899aabbccddeef");
        var right = Hash256.Parse("sha256:ff0123456789abcdeffedcba9876543210000000000000000000000000000080");
        var expected = SHA256.HashData([MerkleTree.NodePrefix, .. left.ToArray(), .. right.ToArray()]);
        var pairs = Enumerable.Range(0, 20).SelectMany(_ => new[] { left, right }).ToArray();
        var parents = new Hash256[20];
        Sha256Batch.HashNodes(pairs, parents);
        Assert.All(parents, p => Assert.Equal(Convert.ToHexStringLower(expected), p.ToHex()));
    }

    [Fact]
    public void Hash_EmptyBatch_WritesNothing()
    {
        var digests = new Hash256[1];
        Sha256Batch.Hash([], [], digests);
        Assert.Equal(default, digests[0]);
    }

    [Fact]
    public void Hash_BadEnds_Throw()
    {
        Assert.Throws<ArgumentException>(() => Sha256Batch.Hash(new byte[4], [3, 2], new Hash256[2]));
        Assert.Throws<ArgumentException>(() => Sha256Batch.Hash(new byte[4], [5], new Hash256[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Sha256Batch.Hash(new byte[4], [1, 2], new Hash256[1]));
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1025)]
    [InlineData(333)]
    public void ComputeRoot_LargeTrees_EqualTheRecursiveDefinition(int n)
    {
        var data = Enumerable.Range(0, n).Select(i => BitConverter.GetBytes(i * 7919)).ToArray();
        var leaves = data.Select(d => MerkleTree.HashLeaf(d)).ToArray();
        Assert.Equal(Convert.ToHexStringLower(Mth(data)), MerkleTree.ComputeRoot(leaves).ToHex());
    }

    private static bool Supported(Sha256BatchPath path) => path switch
    {
        Sha256BatchPath.Vector512 => Sha256Batch.IsVector512Supported,
        Sha256BatchPath.Vector256 => Sha256Batch.IsVector256Supported,
        _ => true,
    };

    private static void AssertMatchesFramework(int[] lengths, Random random, Sha256BatchPath path)
    {
        var ends = new int[lengths.Length];
        var total = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            total += lengths[i];
            ends[i] = total;
        }

        var data = new byte[total];
        random.NextBytes(data);
        var digests = new Hash256[lengths.Length];
        Sha256Batch.Hash(data, ends, digests, path);
        for (var i = 0; i < lengths.Length; i++)
        {
            var start = i == 0 ? 0 : ends[i - 1];
            var expected = SHA256.HashData(data.AsSpan(start, lengths[i]));
            Assert.True(
                Convert.ToHexStringLower(expected) == digests[i].ToHex(),
                $"{path}: message {i} of {lengths.Length} ({lengths[i]} bytes) hashed to {digests[i].ToHex()}, expected {Convert.ToHexStringLower(expected)}");
        }
    }

    // RFC 9162 §2.1.1 written out independently of MerkleTree.
    private static byte[] Mth(byte[][] items)
    {
        if (items.Length == 1)
        {
            return SHA256.HashData([0, .. items[0]]);
        }

        var k = 1;
        while (k * 2 < items.Length)
        {
            k *= 2;
        }

        return SHA256.HashData([1, .. Mth(items[..k]), .. Mth(items[k..])]);
    }
}
