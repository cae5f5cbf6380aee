namespace HpcK8s.Core.Ledger;

/// <summary>The running state of one verification walk.</summary>
internal sealed class LedgerVerificationState
{
    private readonly LedgerVerifyOptions _options;
    private readonly CanonicalWriter _writer = new(512);
    private readonly List<Hash256> _frontier = [];
    private readonly LedgerShardTable _shards = new();
    private readonly int[] _ends = new int[LedgerBlock.LeafChunk];
    private Hash256[] _leaves = new Hash256[64];

    // Keys of the kinds other than ShardCompleted have shard = attempt = 0: one bit per kind is their key set.
    private int _kindsSeen;
    private string? _ledgerId;
    private long _count;
    private long _entries;
    private long _bytes;
    private Hash256 _head;
    private string? _closedBy;
    private long? _failedHeight;
    private string? _reason;

    public LedgerVerificationState(LedgerVerifyOptions options)
    {
        _options = options;
        _ledgerId = options.ExpectedLedgerId;
    }

    /// <summary>Checks the next block; false when it is bad (the result then says why).</summary>
    public bool Add(LedgerBlock block)
    {
        var reason = Check(block);
        if (reason is not null)
        {
            _failedHeight = _count;
            _reason = $"block {_count}: {reason}";
            _count++;
            return false;
        }

        _count++;
        return true;
    }

    public LedgerVerificationResult Finish()
    {
        if (_count == 0)
        {
            _reason = "ledger has no blocks";
        }
        else if (_options.ExpectedHeight is { } height && height != _count - 1)
        {
            _failedHeight = Math.Min(height, _count);
            _reason = height > _count - 1
                ? $"ledger truncated: it ends at height {_count - 1}, expected head at height {height}"
                : $"ledger runs past the expected head: it ends at height {_count - 1}, expected {height}";
        }
        else if (_options.ExpectedHeadHash is { } expected && expected != _head)
        {
            _failedHeight = _count - 1;
            _reason = $"head hash {_head} does not match the expected head {expected} (truncated or rewritten)";
        }

        return Result();
    }

    public LedgerVerificationResult Result() =>
        new(_reason is null, _count, _entries, _head, _failedHeight, _reason, _bytes);

    private string? Check(LedgerBlock block)
    {
        var header = block.Header;
        var i = _count;
        if (header.Height != i)
        {
            return $"height is {header.Height}, expected {i} (blocks missing, duplicated or out of order)";
        }

        _ledgerId ??= header.LedgerId;
        if (header.LedgerId != _ledgerId)
        {
            return $"ledger id is '{header.LedgerId}', expected '{_ledgerId}'";
        }

        if (header.PreviousHash != _head)
        {
            return i == 0 ? "previous hash of the genesis block must be 32 zero bytes" : $"previous hash does not match block {i - 1}'s hash";
        }

        if (header.BlocksRoot != MerkleTree.FrontierRoot(_frontier))
        {
            return i == 0 ? "blocks root of the genesis block must be the empty-tree root" : $"blocks root does not match the tree of blocks 0..{i - 1}";
        }

        if (!BlockHeader.IsValidTime(header.Time))
        {
            return $"time '{header.Time}' is not RFC 3339 UTC";
        }

        var entries = block.Entries;
        if (entries.Count == 0)
        {
            return "has no entries";
        }

        if (header.EntryCount != entries.Count)
        {
            return $"entry count is {header.EntryCount} but the block holds {entries.Count} entries";
        }

        if (_leaves.Length < entries.Count)
        {
            _leaves = new Hash256[Math.Max(entries.Count, _leaves.Length * 2)];
        }

        _bytes += block.ComputeLeafHashes(_writer, _ends, _leaves);

        if (MerkleTree.ComputeRoot(_leaves.AsSpan(0, entries.Count)) != header.EntriesRoot)
        {
            return "entries root mismatch (an entry was altered, added, removed or reordered)";
        }

        for (var j = 0; j < entries.Count; j++)
        {
            var rule = CheckRules(entries[j], i, j);
            if (rule is not null)
            {
                return $"entry {j}: {rule}";
            }
        }

        _writer.Reset();
        header.WriteCanonical(_writer);
        _bytes += _writer.Length;
        var hash = Sha256.Hash(_writer.Written);
        if (hash != block.Hash)
        {
            return $"recorded hash {block.Hash} does not match the hash of its header {hash}";
        }

        if (_options.PublicKey is { } key)
        {
            if (block.Signature.IsEmpty)
            {
                return "is not signed (a public key was given)";
            }

            if (!key.Verify(hash, block.Signature.Span))
            {
                return "signature does not verify with the given public key";
            }
        }

        MerkleTree.AppendToFrontier(_frontier, i, MerkleTree.HashLeaf(hash));
        _head = hash;
        _entries += entries.Count;
        return null;
    }

    private string? CheckRules(LedgerEntry entry, long height, int index)
    {
        var kind = entry.Kind;
        if (_closedBy is not null)
        {
            return $"{kind} after the ledger was closed by {_closedBy}";
        }

        if ((height == 0 && index == 0) != (kind == LedgerEntryKind.JobAccepted))
        {
            return height == 0 && index == 0 ? $"the first entry must be JobAccepted, found {kind}" : "JobAccepted is only allowed as the first entry";
        }

        if (entry is ShardCompletedEntry shard)
        {
            return _shards.TryAdd(shard.Shard, shard.Attempt, shard.ResultDigest) ? null : Duplicate(entry);
        }

        var bit = 1 << (int)kind;
        if ((_kindsSeen & bit) != 0)
        {
            return Duplicate(entry);
        }

        _kindsSeen |= bit;
        switch (entry)
        {
            case JobCompletedEntry completed:
                _closedBy = $"JobCompleted at entry {index} of block {height}";
                return CheckCompleted(completed);
            case JobFailedEntry:
                _closedBy = $"JobFailed at entry {index} of block {height}";
                break;
        }

        return null;
    }

    private static string Duplicate(LedgerEntry entry) => $"duplicate key {entry.Key} (an entry may be written once)";

    private string? CheckCompleted(JobCompletedEntry completed)
    {
        if (Hash256.OfUtf8(completed.Result) != completed.ResultDigest)
        {
            return "result digest is not SHA-256 of the result";
        }

        var leaves = new Hash256[completed.ShardCount];
        for (var s = 0; s < leaves.Length; s++)
        {
            if (!_shards.TryGetFirst(s, out leaves[s]))
            {
                return $"shard {s} of {completed.ShardCount} has no ShardCompleted entry";
            }
        }

        var extra = _shards.MinShardAtOrAbove(completed.ShardCount);
        if (extra >= 0)
        {
            return $"shard {extra} is outside the job's {completed.ShardCount} shards";
        }

        HashLeavesInPlace(leaves);
        return MerkleTree.ComputeRoot(leaves) == completed.ShardsRoot
            ? null
            : "shards root does not match the first ShardCompleted result digest of each shard";
    }

    /// <summary>Replaces each digest d by its leaf hash SHA-256(0x00 ‖ d), hashing a chunk at a time side by side.</summary>
    private void HashLeavesInPlace(Span<Hash256> values)
    {
        const int Message = 1 + Hash256.Size;
        for (var start = 0; start < values.Length; start += LedgerBlock.LeafChunk)
        {
            var count = Math.Min(LedgerBlock.LeafChunk, values.Length - start);
            _writer.Reset();
            for (var i = 0; i < count; i++)
            {
                _writer.WriteByte(MerkleTree.LeafPrefix);
                _writer.WriteHash(values[start + i]);
                _ends[i] = (i + 1) * Message;
            }

            Sha256Batch.Hash(_writer.Written, _ends.AsSpan(0, count), values.Slice(start, count));
        }
    }
}
