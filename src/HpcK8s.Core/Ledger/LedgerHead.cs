using System.Diagnostics.CodeAnalysis;

namespace HpcK8s.Core.Ledger;

/// <summary>The tip of a ledger: last height, last block hash, and the frontier of the block-hash Merkle tree (the
/// roots of its perfect subtrees, largest first), which is all that is needed to build the next block.</summary>
/// <remarks>Stores persist this next to the blocks (see <see cref="ToFrontierBytes"/>), so that appending never has to
/// read the whole ledger.</remarks>
public sealed class LedgerHead
{
    private readonly Hash256[] _frontier;

    private LedgerHead(string ledgerId, long height, Hash256 hash, Hash256[] frontier)
    {
        LedgerId = ledgerId;
        Height = height;
        Hash = hash;
        _frontier = frontier;
    }

    /// <summary>The ledger (job) id.</summary>
    public string LedgerId { get; }

    /// <summary>Height of the last block; −1 when the ledger has no blocks.</summary>
    public long Height { get; }

    /// <summary>Number of blocks (<see cref="Height"/> + 1), the figure anchored in the job's status.</summary>
    public long BlockCount => Height + 1;

    /// <summary>Hash of the last block; zero when empty (which is also the genesis block's previous hash).</summary>
    public Hash256 Hash { get; }

    /// <summary>Whether the ledger has no blocks.</summary>
    public bool IsEmpty => Height < 0;

    /// <summary>The frontier of the tree over block hashes 0 … Height.</summary>
    public IReadOnlyList<Hash256> Frontier => _frontier;

    /// <summary>Root over block hashes 0 … Height: the next block's <see cref="BlockHeader.BlocksRoot"/>.</summary>
    public Hash256 BlocksRoot => MerkleTree.FrontierRoot(_frontier);

    /// <summary>The head of a ledger with no blocks yet.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <returns>The empty head.</returns>
    public static LedgerHead Empty(string ledgerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        return new LedgerHead(ledgerId, -1, Hash256.Zero, []);
    }

    /// <summary>Rebuilds a head from what a store persisted.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="height">Last height.</param>
    /// <param name="hash">Last block hash.</param>
    /// <param name="frontierBytes">The frontier as concatenated 32-byte hashes (<see cref="ToFrontierBytes"/>).</param>
    /// <returns>The head.</returns>
    /// <exception cref="LedgerFormatException">When the frontier does not fit the height.</exception>
    public static LedgerHead FromStored(string ledgerId, long height, Hash256 hash, ReadOnlySpan<byte> frontierBytes)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        var expected = MerkleTree.FrontierSize(height + 1);
        if (frontierBytes.Length != expected * Hash256.Size)
        {
            throw new LedgerFormatException($"ledger {ledgerId}: stored frontier has {frontierBytes.Length} bytes, expected {expected * Hash256.Size} for height {height}");
        }

        var frontier = new Hash256[expected];
        for (var i = 0; i < expected; i++)
        {
            frontier[i] = new Hash256(frontierBytes.Slice(i * Hash256.Size, Hash256.Size));
        }

        return new LedgerHead(ledgerId, height, hash, frontier);
    }

    /// <summary>The frontier as concatenated 32-byte hashes, for stores.</summary>
    /// <returns>A new array.</returns>
    public byte[] ToFrontierBytes()
    {
        var bytes = new byte[_frontier.Length * Hash256.Size];
        for (var i = 0; i < _frontier.Length; i++)
        {
            _frontier[i].CopyTo(bytes.AsSpan(i * Hash256.Size));
        }

        return bytes;
    }

    /// <summary>The head after <paramref name="block"/> (which must be the next block) is appended.</summary>
    /// <param name="block">The next block.</param>
    /// <returns>The new head.</returns>
    /// <exception cref="ArgumentException">When the block does not follow this head.</exception>
    public LedgerHead Advance(LedgerBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (!Follows(block, out var why))
        {
            throw new ArgumentException(why, nameof(block));
        }

        var frontier = new List<Hash256>(_frontier);
        MerkleTree.AppendToFrontier(frontier, BlockCount, MerkleTree.HashLeaf(block.Hash));
        return new LedgerHead(LedgerId, Height + 1, block.Hash, [.. frontier]);
    }

    /// <summary>Whether <paramref name="block"/> is the block that comes next after this head.</summary>
    /// <param name="block">The candidate.</param>
    /// <param name="reason">Why not, when it does not.</param>
    /// <returns>Whether it follows.</returns>
    public bool Follows(LedgerBlock block, [NotNullWhen(false)] out string? reason)
    {
        ArgumentNullException.ThrowIfNull(block);
        reason = block.Header.LedgerId != LedgerId ? $"block belongs to ledger '{block.Header.LedgerId}', not '{LedgerId}'"
            : block.Height != Height + 1 ? $"block height {block.Height} does not follow head height {Height}"
            : block.Header.PreviousHash != Hash ? $"block {block.Height}'s previous hash does not match the head {Hash}"
            : null;
        return reason is null;
    }

    /// <inheritdoc />
    public override string ToString() => IsEmpty ? $"{LedgerId}: empty" : $"{LedgerId}: height {Height}, head {Hash}";
}
