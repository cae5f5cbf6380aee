namespace HpcK8s.Core.Ledger;

/// <summary>The verifier's record of ShardCompleted entries: which (shard, attempt) keys were seen, and the result
/// digest of the first entry per shard (the leaves of the JobCompleted shards root).</summary>
/// <remarks>
/// <para>Shard numbers are nearly consecutive (0 … shardCount − 1), so the first attempt of each shard lives in
/// arrays indexed by shard number, read and written in ledger order: no hashing and, since shards mostly arrive in
/// order, no cache misses. Later attempts of a shard (retries, rare) go to a hash set. Shard numbers far beyond
/// what has been seen (sparse or huge, up to 2^31 − 1) go to a dictionary instead, so memory stays proportional to
/// the number of distinct shards whatever the numbers are.</para>
/// <para>Every key is in exactly one place: the first attempt of shard s is in the dense arrays if s is below their
/// length, else in the sparse dictionary (growing the arrays moves the sparse entries they now cover).</para>
/// </remarks>
internal sealed class LedgerShardTable
{
    // The dense arrays may cover up to this many slots per distinct shard seen (plus a floor), so a ledger that
    // names a few huge shard numbers cannot make them allocate gigabytes.
    private const int DenseSlotsPerShard = 4;
    private const int DenseFloor = 4096;

    private readonly Dictionary<int, (int Attempt, Hash256 Digest)> _sparse = [];
    private readonly HashSet<long> _laterAttempts = [];

    // _firstAttempt[s] is the first attempt of shard s plus one (0: shard not seen); attempts are at most 2^31 − 1.
    private uint[] _firstAttempt = new uint[256];
    private Hash256[] _firstDigest = new Hash256[256];
    private int _distinct;
    private int _maxShard = -1;

    /// <summary>Number of distinct shards seen.</summary>
    public int ShardCount => _distinct;

    /// <summary>Records ShardCompleted(<paramref name="shard"/>, <paramref name="attempt"/>); false if that key was
    /// already recorded. The digest is kept when this is the shard's first entry.</summary>
    public bool TryAdd(int shard, int attempt, in Hash256 digest)
    {
        if ((uint)shard >= (uint)_firstAttempt.Length && !TryGrow(shard))
        {
            return TryAddSparse(shard, attempt, digest);
        }

        var first = _firstAttempt[shard];
        if (first == 0)
        {
            _firstAttempt[shard] = (uint)attempt + 1;
            _firstDigest[shard] = digest;
            _distinct++;
            _maxShard = Math.Max(_maxShard, shard);
            return true;
        }

        return first != (uint)attempt + 1 && _laterAttempts.Add(Key(shard, attempt));
    }

    /// <summary>The result digest of the first entry recorded for <paramref name="shard"/>.</summary>
    public bool TryGetFirst(int shard, out Hash256 digest)
    {
        if ((uint)shard < (uint)_firstAttempt.Length)
        {
            digest = _firstDigest[shard];
            return _firstAttempt[shard] != 0;
        }

        var found = _sparse.TryGetValue(shard, out var value);
        digest = value.Digest;
        return found;
    }

    /// <summary>The smallest recorded shard number at or above <paramref name="from"/>, or -1 when there is none.</summary>
    public int MinShardAtOrAbove(int from)
    {
        if (_maxShard < from)
        {
            return -1;
        }

        var start = Math.Max(from, 0);
        var end = Math.Min(_firstAttempt.Length - 1, _maxShard) + 1;
        if (start < end)
        {
            var dense = _firstAttempt.AsSpan(start, end - start).IndexOfAnyExcept(0u);
            if (dense >= 0)
            {
                return start + dense;
            }
        }

        var min = -1;
        foreach (var shard in _sparse.Keys)
        {
            if (shard >= from && (min < 0 || shard < min))
            {
                min = shard;
            }
        }

        return min;
    }

    private static long Key(int shard, int attempt) => ((long)shard << 32) | (uint)attempt;

    private bool TryAddSparse(int shard, int attempt, in Hash256 digest)
    {
        if (_sparse.TryGetValue(shard, out var first))
        {
            return first.Attempt != attempt && _laterAttempts.Add(Key(shard, attempt));
        }

        _sparse.Add(shard, (attempt, digest));
        _distinct++;
        _maxShard = Math.Max(_maxShard, shard);
        return true;
    }

    private bool TryGrow(int shard)
    {
        var limit = (long)Math.Max(DenseFloor, DenseSlotsPerShard * ((long)_distinct + 1));
        if (shard >= limit)
        {
            return false;
        }

        var size = (int)Math.Min(limit, Math.Max(2L * _firstAttempt.Length, shard + 1L));
        Array.Resize(ref _firstAttempt, size);
        Array.Resize(ref _firstDigest, size);
        if (_sparse.Count > 0)
        {
            foreach (var (moved, first) in _sparse.Where(p => p.Key < size).ToList())
            {
                _sparse.Remove(moved);
                _firstAttempt[moved] = (uint)first.Attempt + 1;
                _firstDigest[moved] = first.Digest;
            }
        }

        return true;
    }
}
