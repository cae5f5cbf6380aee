using System.Security.Cryptography;
using HpcK8s.Core.Ledger;

namespace HpcK8s.Core.Tests.Ledger;

public class MerkleTreeTests
{
    // The RFC 6962 test inputs used by Certificate Transparency implementations.
    private static readonly byte[][] CtLeaves =
    [
        [], [0x00], [0x10], [0x20, 0x21], [0x30, 0x31], [0x40, 0x41, 0x42, 0x43],
        [0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57],
        [0x60, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f],
    ];

    [Fact]
    public void ComputeRoot_CertificateTransparencyVectors_MatchKnownRoots()
    {
        var leaves = CtLeaves.Select(l => MerkleTree.HashLeaf(l)).ToArray();
        Assert.Equal("6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d", leaves[0].ToHex());
        Assert.Equal("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", MerkleTree.ComputeRoot(leaves).ToHex());
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", MerkleTree.EmptyRoot.ToHex());
    }

    [Fact]
    public void ComputeRoot_AnySize_EqualsRecursiveDefinitionAndFrontier()
    {
        var frontier = new List<Hash256>();
        for (var n = 1; n <= 70; n++)
        {
            var leaves = Enumerable.Range(0, n).Select(i => MerkleTree.HashLeaf([(byte)i, (byte)(i >> 8)])).ToArray();
            var expected = Reference(leaves);
            Assert.Equal(expected, MerkleTree.ComputeRoot(leaves));
            MerkleTree.AppendToFrontier(frontier, n - 1, leaves[^1]);
            Assert.Equal(MerkleTree.FrontierSize(n), frontier.Count);
            Assert.Equal(expected, MerkleTree.FrontierRoot(frontier));
        }
    }

    [Fact]
    public void VerifyInclusion_EveryIndexOfManySizes_AcceptsAndRejectsTampering()
    {
        for (var n = 1; n <= 33; n++)
        {
            var leaves = Enumerable.Range(0, n).Select(i => MerkleTree.HashLeaf([(byte)i])).ToArray();
            var root = MerkleTree.ComputeRoot(leaves);
            for (var i = 0; i < n; i++)
            {
                var path = MerkleTree.ComputeInclusionPath(leaves, i);
                Assert.True(MerkleTree.VerifyInclusion(leaves[i], i, n, path, root), $"n={n} i={i}");
                Assert.False(MerkleTree.VerifyInclusion(MerkleTree.HashLeaf([0xff, 0xff]), i, n, path, root));
                Assert.False(MerkleTree.VerifyInclusion(leaves[i], i, n, path, MerkleTree.HashLeaf([0xfe])));
                if (n > 1)
                {
                    Assert.False(MerkleTree.VerifyInclusion(leaves[i], (i + 1) % n, n, path, root));
                    var bad = path.ToArray();
                    bad[0] = MerkleTree.HashLeaf([0xee]);
                    Assert.False(MerkleTree.VerifyInclusion(leaves[i], i, n, bad, root));
                    Assert.False(MerkleTree.VerifyInclusion(leaves[i], i, n, path[..^1], root));
                }
            }
        }
    }

    [Fact]
    public void Sha256_OnLinux_UsesTheDirectLibcryptoPath()
    {
        Assert.True(!OperatingSystem.IsLinux() || Sha256.IsNative, "libcrypto.so.3 SHA256_Init/Update/Final not found; verification falls back to SHA256.HashData (about 4x slower on small entries)");
    }

    [Fact]
    public void Sha256_NativeAndFramework_AgreeOnAllSmallSizes()
    {
        var data = Enumerable.Range(0, 5000).Select(i => (byte)(i * 31)).ToArray();
        foreach (var length in Enumerable.Range(0, 300).Concat([1000, 4096, 4097, 5000]))
        {
            Assert.Equal(SHA256.HashData(data.AsSpan(0, length)), Hash256.Of(data.AsSpan(0, length)).ToArray());
        }
    }

    private static Hash256 Reference(ReadOnlySpan<Hash256> leaves)
    {
        if (leaves.Length == 1)
        {
            return leaves[0];
        }

        var k = 1;
        while (k * 2 < leaves.Length)
        {
            k *= 2;
        }

        return MerkleTree.HashNode(Reference(leaves[..k]), Reference(leaves[k..]));
    }
}
