namespace HpcK8s.Core.Ledger;

/// <summary>A whole ledger in memory (loaded from a store or imported from JSON): verify it, find entries, and
/// produce inclusion, shard and consistency proofs.</summary>
/// <remarks>Proofs are built from the recorded hashes; verify the chain first (the CLI does).</remarks>
public sealed class LedgerChain
{
    private readonly LedgerBlock[] _blocks;
    private Hash256[]? _blockLeaves;

    /// <summary>Wraps blocks in height order.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="blocks">Blocks from height 0.</param>
    public LedgerChain(string ledgerId, IEnumerable<LedgerBlock> blocks)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        ArgumentNullException.ThrowIfNull(blocks);
        LedgerId = ledgerId;
        _blocks = [.. blocks];
    }

    /// <summary>The ledger id.</summary>
    public string LedgerId { get; }

    /// <summary>The blocks, in height order.</summary>
    public IReadOnlyList<LedgerBlock> Blocks => _blocks;

    /// <summary>Height of the last block; −1 when empty.</summary>
    public long Height => _blocks.Length - 1;

    /// <summary>Recorded hash of the last block; zero when empty.</summary>
    public Hash256 HeadHash => _blocks.Length == 0 ? Hash256.Zero : _blocks[^1].Hash;

    /// <summary>Reads a whole ledger from a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ledger.</returns>
    public static async Task<LedgerChain> LoadAsync(ILedgerStore store, string ledgerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        var blocks = new List<LedgerBlock>();
        await foreach (var block in store.ReadBlocksAsync(ledgerId, 0, cancellationToken).ConfigureAwait(false))
        {
            blocks.Add(block);
        }

        return new LedgerChain(ledgerId, blocks);
    }

    /// <summary>Verifies the whole chain (the ledger id must be <see cref="LedgerId"/>).</summary>
    /// <param name="publicKey">Checks signatures when given.</param>
    /// <param name="expectedHeadHash">An independently held head, to detect truncation.</param>
    /// <returns>The result.</returns>
    public LedgerVerificationResult Verify(LedgerPublicKey? publicKey = null, Hash256? expectedHeadHash = null) =>
        LedgerVerifier.Verify(_blocks, new LedgerVerifyOptions { ExpectedLedgerId = LedgerId, PublicKey = publicKey, ExpectedHeadHash = expectedHeadHash });

    /// <summary>Where the entry with this key is, or null.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The position, or null.</returns>
    public LedgerEntryPosition? Find(LedgerEntryKey key)
    {
        foreach (var block in _blocks)
        {
            for (var i = 0; i < block.Entries.Count; i++)
            {
                if (block.Entries[i].Key == key)
                {
                    return new LedgerEntryPosition(block.Height, i);
                }
            }
        }

        return null;
    }

    /// <summary>Proof that the entry at <paramref name="position"/> is in the ledger at head <paramref name="headHeight"/>.</summary>
    /// <param name="position">The entry's position.</param>
    /// <param name="headHeight">The head to prove against; the last block when null.</param>
    /// <returns>The proof.</returns>
    public LedgerInclusionProof ProveEntry(LedgerEntryPosition position, long? headHeight = null)
    {
        var head = ResolveHead(headHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(position.Height, nameof(position));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position.Height, head, nameof(position));
        var block = _blocks[position.Height];
        ArgumentOutOfRangeException.ThrowIfNegative(position.Index, nameof(position));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(position.Index, block.Entries.Count, nameof(position));
        var leaves = block.Entries.Select(e => e.ComputeLeafHash()).ToArray();
        var entryPath = MerkleTree.ComputeInclusionPath(leaves, position.Index);
        var blockPath = position.Height == head ? [] : MerkleTree.ComputeInclusionPath(BlockLeaves().AsSpan(0, (int)head), position.Height);
        return new LedgerInclusionProof(block.Entries[position.Index], position.Index, block.Header, entryPath, _blocks[head].Header, blockPath);
    }

    /// <summary>Proof that shard <paramref name="shard"/>'s result (its first ShardCompleted) is leaf <paramref name="shard"/>
    /// of the JobCompleted shards root, with both entries proven in the ledger.</summary>
    /// <param name="shard">The shard index.</param>
    /// <param name="headHeight">The head to prove against; the last block when null.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="InvalidOperationException">When the job has not completed or the shard is missing.</exception>
    public LedgerShardProof ProveShard(int shard, long? headHeight = null)
    {
        LedgerEntryPosition? shardPosition = null;
        LedgerEntryPosition? completedPosition = null;
        var digests = new Dictionary<int, Hash256>();
        JobCompletedEntry? completed = null;
        foreach (var block in _blocks)
        {
            for (var i = 0; i < block.Entries.Count; i++)
            {
                switch (block.Entries[i])
                {
                    case ShardCompletedEntry s when digests.TryAdd(s.Shard, s.ResultDigest) && s.Shard == shard:
                        shardPosition = new LedgerEntryPosition(block.Height, i);
                        break;
                    case JobCompletedEntry c:
                        completed = c;
                        completedPosition = new LedgerEntryPosition(block.Height, i);
                        break;
                }
            }
        }

        if (completed is null || completedPosition is null)
        {
            throw new InvalidOperationException($"ledger {LedgerId} has no JobCompleted entry yet");
        }

        if (shardPosition is null || shard >= completed.ShardCount)
        {
            throw new InvalidOperationException($"ledger {LedgerId} has no ShardCompleted entry for shard {shard} of {completed.ShardCount}");
        }

        var leaves = Enumerable.Range(0, completed.ShardCount).Select(s => MerkleTree.HashLeaf(digests[s])).ToArray();
        return new LedgerShardProof(
            ProveEntry(shardPosition.Value, headHeight),
            ProveEntry(completedPosition.Value, headHeight),
            MerkleTree.ComputeInclusionPath(leaves, shard));
    }

    /// <summary>Proof that the ledger at <paramref name="oldHeight"/> is a prefix of the ledger at <paramref name="newHeight"/>.</summary>
    /// <param name="oldHeight">The earlier head's height.</param>
    /// <param name="newHeight">The later head's height; the last block when null.</param>
    /// <returns>The proof.</returns>
    public LedgerConsistencyProof ProveConsistency(long oldHeight, long? newHeight = null)
    {
        var head = ResolveHead(newHeight);
        ArgumentOutOfRangeException.ThrowIfNegative(oldHeight);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldHeight, head);
        var path = oldHeight == head ? [] : MerkleTree.ComputeInclusionPath(BlockLeaves().AsSpan(0, (int)head), oldHeight);
        return new LedgerConsistencyProof(oldHeight, _blocks[oldHeight].Hash, _blocks[head].Header, path);
    }

    private long ResolveHead(long? headHeight)
    {
        if (_blocks.Length == 0)
        {
            throw new InvalidOperationException($"ledger {LedgerId} has no blocks");
        }

        var head = headHeight ?? Height;
        ArgumentOutOfRangeException.ThrowIfNegative(head, nameof(headHeight));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(head, Height, nameof(headHeight));
        return head;
    }

    private Hash256[] BlockLeaves() => _blockLeaves ??= [.. _blocks.Select(b => MerkleTree.HashLeaf(b.Hash))];
}
