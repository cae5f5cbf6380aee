namespace HpcK8s.Core.Ledger;

/// <summary>Appends entries to ledgers in a store: one block per call, idempotent per entry key, retrying when
/// another writer got there first.</summary>
/// <remarks>
/// Idempotency: an entry whose key (kind, shard, attempt) is already in the ledger is not written again; its existing
/// position is returned. A retried activity can therefore append the same entry any number of times.
/// Rules enforced here and checked again by <see cref="LedgerVerifier"/>: the first entry of a ledger is JobAccepted;
/// nothing follows JobCompleted or JobFailed.
/// </remarks>
public sealed class LedgerWriter
{
    private const int MaxAttempts = 8;

    private readonly ILedgerStore _store;
    private readonly LedgerSigningKey? _signer;

    /// <summary>Creates a writer.</summary>
    /// <param name="store">The store.</param>
    /// <param name="signer">Signs every new block when given.</param>
    public LedgerWriter(ILedgerStore store, LedgerSigningKey? signer = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _signer = signer;
    }

    /// <summary>Appends entries as one block (entries already present are skipped and reported at their position).</summary>
    /// <param name="ledgerId">The ledger (job) id.</param>
    /// <param name="entries">One or more entries.</param>
    /// <param name="time">Time to record in the block header.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>Positions and the new head.</returns>
    /// <exception cref="InvalidOperationException">When an entry breaks the ledger rules (e.g. after JobCompleted).</exception>
    public async Task<LedgerAppendResult> AppendAsync(
        string ledgerId, IReadOnlyList<LedgerEntry> entries, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            throw new ArgumentException("append needs at least one entry", nameof(entries));
        }

        for (var attempt = 1; ; attempt++)
        {
            var head = await _store.GetHeadAsync(ledgerId, cancellationToken).ConfigureAwait(false);
            var keys = new HashSet<LedgerEntryKey>(entries.Select(e => e.Key))
            {
                new(LedgerEntryKind.JobCompleted, 0, 0),
                new(LedgerEntryKind.JobFailed, 0, 0),
            };
            var found = await _store.FindEntriesAsync(ledgerId, keys, cancellationToken).ConfigureAwait(false);
            var plan = Plan(ledgerId, head, entries, found);
            if (plan.NewEntries.Count == 0)
            {
                return new LedgerAppendResult(plan.Positions, head, Appended: false);
            }

            var block = LedgerBlockBuilder.Build(head, plan.NewEntries, time, _signer);
            var next = head.Advance(block);
            try
            {
                await _store.AppendBlockAsync(block, next, cancellationToken).ConfigureAwait(false);
                return new LedgerAppendResult(plan.Positions, next, Appended: true);
            }
            catch (LedgerConcurrencyException) when (attempt < MaxAttempts)
            {
                // Another writer moved the head; re-read it (our entries may now exist) and rebuild the block.
            }
        }
    }

    /// <summary>Appends JobCompleted, computing the shards root from the ledger's own ShardCompleted entries (the first
    /// recorded per shard, the rule <see cref="LedgerVerifier"/> checks). Idempotent.</summary>
    /// <param name="ledgerId">The ledger (job) id.</param>
    /// <param name="result">The job result as text.</param>
    /// <param name="shardCount">Number of shards; each must have a ShardCompleted entry.</param>
    /// <param name="time">Time to record.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>Position and head.</returns>
    /// <exception cref="InvalidOperationException">When a shard has no ShardCompleted entry.</exception>
    public async Task<LedgerAppendResult> CompleteJobAsync(
        string ledgerId, string result, int shardCount, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ledgerId);
        ArgumentOutOfRangeException.ThrowIfNegative(shardCount);
        var key = new LedgerEntryKey(LedgerEntryKind.JobCompleted, 0, 0);
        var found = await _store.FindEntriesAsync(ledgerId, [key], cancellationToken).ConfigureAwait(false);
        if (found.TryGetValue(key, out var existing))
        {
            var head = await _store.GetHeadAsync(ledgerId, cancellationToken).ConfigureAwait(false);
            return new LedgerAppendResult([existing], head, Appended: false);
        }

        var digests = new Hash256?[shardCount];
        await foreach (var block in _store.ReadBlocksAsync(ledgerId, 0, cancellationToken).ConfigureAwait(false))
        {
            foreach (var entry in block.Entries)
            {
                if (entry is ShardCompletedEntry shard && shard.Shard < shardCount)
                {
                    digests[shard.Shard] ??= shard.ResultDigest;
                }
            }
        }

        var missing = Array.FindIndex(digests, d => d is null);
        if (missing >= 0)
        {
            throw new InvalidOperationException($"ledger {ledgerId}: shard {missing} of {shardCount} has no ShardCompleted entry; record every shard before JobCompleted");
        }

        var completed = LedgerEntry.JobCompleted(result, [.. digests.Select(d => d!.Value)]);
        return await AppendAsync(ledgerId, [completed], time, cancellationToken).ConfigureAwait(false);
    }

    private static (List<LedgerEntry> NewEntries, LedgerEntryPosition[] Positions) Plan(
        string ledgerId, LedgerHead head, IReadOnlyList<LedgerEntry> entries, IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition> found)
    {
        var positions = new LedgerEntryPosition[entries.Count];
        var newEntries = new List<LedgerEntry>();
        var inBatch = new Dictionary<LedgerEntryKey, int>();
        var closedKey = found.Keys.FirstOrDefault(k => k.Kind is LedgerEntryKind.JobCompleted or LedgerEntryKind.JobFailed);
        var closedBy = closedKey.Kind == LedgerEntryKind.None ? null : $"{closedKey.Kind} at {found[closedKey]}";
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
            if (found.TryGetValue(entry.Key, out var existing))
            {
                positions[i] = existing;
                continue;
            }

            if (inBatch.TryGetValue(entry.Key, out var index))
            {
                positions[i] = new LedgerEntryPosition(head.Height + 1, index);
                continue;
            }

            if (closedBy is not null)
            {
                throw new InvalidOperationException($"ledger {ledgerId} is closed by {closedBy}; cannot append {entry.Key}");
            }

            var first = head.IsEmpty && newEntries.Count == 0;
            if (first != (entry.Kind == LedgerEntryKind.JobAccepted))
            {
                throw new InvalidOperationException(first
                    ? $"ledger {ledgerId} is empty: its first entry must be JobAccepted, not {entry.Kind}"
                    : $"ledger {ledgerId} already has entries: JobAccepted can only be the first");
            }

            if (entry.Kind is LedgerEntryKind.JobCompleted or LedgerEntryKind.JobFailed)
            {
                closedBy = $"{entry.Kind} earlier in the same append";
            }

            inBatch[entry.Key] = newEntries.Count;
            positions[i] = new LedgerEntryPosition(head.Height + 1, newEntries.Count);
            newEntries.Add(entry);
        }

        return (newEntries, positions);
    }
}
