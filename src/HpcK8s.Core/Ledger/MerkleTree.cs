using System.Buffers;
using System.Numerics;

namespace HpcK8s.Core.Ledger;

/// <summary>Merkle trees as in RFC 9162 §2.1 (Certificate Transparency v2): leaf hash = SHA-256(0x00 ‖ data),
/// node hash = SHA-256(0x01 ‖ left ‖ right), a tree of n &gt; 1 leaves splits at k = the largest power of two
/// smaller than n, and the empty tree's root is SHA-256 of no bytes.</summary>
public static class MerkleTree
{
    /// <summary>The byte prefixed to leaf data before hashing.</summary>
    public const byte LeafPrefix = 0x00;

    /// <summary>The byte prefixed to two child hashes before hashing.</summary>
    public const byte NodePrefix = 0x01;

    /// <summary>Root of the empty tree: SHA-256 of no bytes.</summary>
    public static Hash256 EmptyRoot { get; } = Sha256.Hash([]);

    /// <summary>SHA-256(0x00 ‖ <paramref name="data"/>).</summary>
    /// <param name="data">Leaf data.</param>
    /// <returns>The leaf hash.</returns>
    public static Hash256 HashLeaf(ReadOnlySpan<byte> data)
    {
        if (data.Length > 1024)
        {
            var rented = ArrayPool<byte>.Shared.Rent(data.Length + 1);
            try
            {
                rented[0] = LeafPrefix;
                data.CopyTo(rented.AsSpan(1));
                return Sha256.Hash(rented.AsSpan(0, data.Length + 1));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        Span<byte> buffer = stackalloc byte[data.Length + 1];
        buffer[0] = LeafPrefix;
        data.CopyTo(buffer[1..]);
        return Sha256.Hash(buffer);
    }

    /// <summary>Leaf hash of a 32-byte value (a block hash, or a shard result digest): SHA-256(0x00 ‖ 32 bytes).</summary>
    /// <param name="value">The leaf's data.</param>
    /// <returns>The leaf hash.</returns>
    public static Hash256 HashLeaf(Hash256 value)
    {
        Span<byte> buffer = stackalloc byte[1 + Hash256.Size];
        buffer[0] = LeafPrefix;
        value.CopyTo(buffer[1..]);
        return Sha256.Hash(buffer);
    }

    /// <summary>SHA-256(0x01 ‖ <paramref name="left"/> ‖ <paramref name="right"/>).</summary>
    /// <param name="left">Left child.</param>
    /// <param name="right">Right child.</param>
    /// <returns>The node hash.</returns>
    public static Hash256 HashNode(Hash256 left, Hash256 right)
    {
        Span<byte> buffer = stackalloc byte[1 + (2 * Hash256.Size)];
        buffer[0] = NodePrefix;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[(1 + Hash256.Size)..]);
        return Sha256.Hash(buffer);
    }

    /// <summary>The root over leaf hashes (already hashed with <see cref="HashLeaf(ReadOnlySpan{byte})"/>).</summary>
    /// <param name="leafHashes">Leaf hashes in order.</param>
    /// <returns>The tree root.</returns>
    /// <remarks>Computed bottom-up, pairing neighbours and carrying a lone last node up unchanged, which gives the
    /// same root as RFC 9162's recursive split. Each level is hashed as one batch (<see cref="Sha256Batch"/>).</remarks>
    public static Hash256 ComputeRoot(ReadOnlySpan<Hash256> leafHashes)
    {
        if (leafHashes.IsEmpty)
        {
            return EmptyRoot;
        }

        var level = ArrayPool<Hash256>.Shared.Rent(leafHashes.Length);
        try
        {
            leafHashes.CopyTo(level);
            var count = leafHashes.Length;
            while (count > 1)
            {
                // A level's nodes are independent: hash them side by side, in place.
                var pairs = count / 2;
                Sha256Batch.HashNodes(level.AsSpan(0, 2 * pairs), level.AsSpan(0, pairs));
                if ((count & 1) == 1)
                {
                    level[pairs] = level[count - 1];
                }

                count = pairs + (count & 1);
            }

            return level[0];
        }
        finally
        {
            ArrayPool<Hash256>.Shared.Return(level);
        }
    }

    /// <summary>The inclusion (audit) path of leaf <paramref name="index"/>, RFC 9162 §2.1.3.1, from the leaf upwards.</summary>
    /// <param name="leafHashes">All leaf hashes of the tree.</param>
    /// <param name="index">The leaf's index.</param>
    /// <returns>The sibling hashes, nearest the leaf first.</returns>
    public static Hash256[] ComputeInclusionPath(ReadOnlySpan<Hash256> leafHashes, long index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, leafHashes.Length);
        var path = new List<Hash256>();
        AppendPath(leafHashes, (int)index, path);
        return [.. path];
    }

    /// <summary>Checks an inclusion path with the algorithm of RFC 9162 §2.1.3.2.</summary>
    /// <param name="leafHash">The leaf's hash.</param>
    /// <param name="index">The leaf's index.</param>
    /// <param name="treeSize">Number of leaves in the tree.</param>
    /// <param name="path">Sibling hashes, nearest the leaf first.</param>
    /// <param name="root">The expected root.</param>
    /// <returns>Whether the path leads from the leaf to the root.</returns>
    public static bool VerifyInclusion(Hash256 leafHash, long index, long treeSize, IReadOnlyList<Hash256> path, Hash256 root) =>
        TryComputeRootFromPath(leafHash, index, treeSize, path, out var computed) && computed == root;

    /// <summary>The root an inclusion path leads to, or false when the path has the wrong length for the position.</summary>
    /// <param name="leafHash">The leaf's hash.</param>
    /// <param name="index">The leaf's index.</param>
    /// <param name="treeSize">Number of leaves in the tree.</param>
    /// <param name="path">Sibling hashes, nearest the leaf first.</param>
    /// <param name="root">The root reached.</param>
    /// <returns>Whether the path is well formed for this index and size.</returns>
    public static bool TryComputeRootFromPath(Hash256 leafHash, long index, long treeSize, IReadOnlyList<Hash256> path, out Hash256 root)
    {
        ArgumentNullException.ThrowIfNull(path);
        root = default;
        if (index < 0 || index >= treeSize)
        {
            return false;
        }

        var fn = index;
        var sn = treeSize - 1;
        var r = leafHash;
        foreach (var p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = HashNode(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = HashNode(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        root = r;
        return sn == 0;
    }

    /// <summary>Adds one leaf to a frontier (the roots of the perfect subtrees that make up a tree of
    /// <paramref name="countBefore"/> leaves, largest first).</summary>
    internal static void AppendToFrontier(List<Hash256> frontier, long countBefore, Hash256 leafHash)
    {
        frontier.Add(leafHash);
        for (var c = countBefore; (c & 1) == 1; c >>= 1)
        {
            var right = frontier[^1];
            var left = frontier[^2];
            frontier.RemoveRange(frontier.Count - 2, 2);
            frontier.Add(HashNode(left, right));
        }
    }

    /// <summary>The root of the tree a frontier describes: a right fold of its perfect subtrees.</summary>
    internal static Hash256 FrontierRoot(IReadOnlyList<Hash256> frontier)
    {
        if (frontier.Count == 0)
        {
            return EmptyRoot;
        }

        var root = frontier[^1];
        for (var i = frontier.Count - 2; i >= 0; i--)
        {
            root = HashNode(frontier[i], root);
        }

        return root;
    }

    /// <summary>Number of frontier hashes for a tree of <paramref name="count"/> leaves.</summary>
    internal static int FrontierSize(long count) => BitOperations.PopCount((ulong)count);

    private static Hash256 SubtreeRoot(ReadOnlySpan<Hash256> leaves) => leaves.Length == 1 ? leaves[0] : ComputeRoot(leaves);

    private static void AppendPath(ReadOnlySpan<Hash256> leaves, int index, List<Hash256> path)
    {
        if (leaves.Length <= 1)
        {
            return;
        }

        var k = (int)BitOperations.RoundUpToPowerOf2((uint)leaves.Length) / 2;
        if (index < k)
        {
            AppendPath(leaves[..k], index, path);
            path.Add(SubtreeRoot(leaves[k..]));
        }
        else
        {
            AppendPath(leaves[k..], index - k, path);
            path.Add(SubtreeRoot(leaves[..k]));
        }
    }
}
