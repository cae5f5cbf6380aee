using System.Runtime.CompilerServices;

namespace HpcK8s.Core.Ledger;

/// <summary>An <see cref="ILedgerStore"/> in memory: for tests, and as the reference for what a store must do.</summary>
public sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (LedgerHead Head, List<LedgerBlock> Blocks, Dictionary<LedgerEntryKey, LedgerEntryPosition> Keys)> _ledgers = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<LedgerHead> GetHeadAsync(string ledgerId, CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult(_ledgers.TryGetValue(ledgerId, out var ledger) ? ledger.Head : LedgerHead.Empty(ledgerId));
        }
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition>> FindEntriesAsync(
        string ledgerId, IReadOnlyCollection<LedgerEntryKey> keys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var result = new Dictionary<LedgerEntryKey, LedgerEntryPosition>();
        lock (_lock)
        {
            if (_ledgers.TryGetValue(ledgerId, out var ledger))
            {
                foreach (var key in keys)
                {
                    if (ledger.Keys.TryGetValue(key, out var position))
                    {
                        result[key] = position;
                    }
                }
            }
        }

        return Task.FromResult<IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition>>(result);
    }

    /// <inheritdoc />
    public Task AppendBlockAsync(LedgerBlock block, LedgerHead newHead, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(newHead);
        lock (_lock)
        {
            var id = block.Header.LedgerId;
            if (!_ledgers.TryGetValue(id, out var ledger))
            {
                ledger = (LedgerHead.Empty(id), [], []);
            }

            if (!ledger.Head.Follows(block, out var reason))
            {
                throw new LedgerConcurrencyException($"ledger {id}: {reason}");
            }

            for (var i = 0; i < block.Entries.Count; i++)
            {
                ledger.Keys[block.Entries[i].Key] = new LedgerEntryPosition(block.Height, i);
            }

            ledger.Blocks.Add(block);
            _ledgers[id] = (newHead, ledger.Blocks, ledger.Keys);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerBlock> ReadBlocksAsync(
        string ledgerId, long fromHeight = 0, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LedgerBlock[] blocks;
        lock (_lock)
        {
            blocks = _ledgers.TryGetValue(ledgerId, out var ledger) ? [.. ledger.Blocks.Skip((int)Math.Max(0, fromHeight))] : [];
        }

        foreach (var block in blocks)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return block;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListLedgersAsync(CancellationToken cancellationToken = default)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<string>>([.. _ledgers.Keys.Order(StringComparer.Ordinal)]);
        }
    }
}
