namespace HpcK8s.Core.Ledger;

/// <summary>Where ledgers live: the embedded SQLite file, or (later) Dapr actor state. One store holds many ledgers,
/// one per job, keyed by ledger id.</summary>
/// <remarks>
/// Implementations must make <see cref="AppendBlockAsync"/> atomic (a crash leaves either the whole block and the new
/// head, or neither) and must refuse a block that does not follow the stored head with
/// <see cref="LedgerConcurrencyException"/>. They do not validate hashes: <see cref="LedgerVerifier"/> does that.
/// Use <see cref="LedgerWriter"/> to append; it adds idempotency and the entry rules.
/// </remarks>
public interface ILedgerStore
{
    /// <summary>The stored head; <see cref="LedgerHead.Empty"/> when the ledger has no blocks.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head.</returns>
    Task<LedgerHead> GetHeadAsync(string ledgerId, CancellationToken cancellationToken = default);

    /// <summary>Positions of entries already stored under the given keys (keys not found are absent).</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="keys">Keys to look up.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>Found keys and their positions.</returns>
    Task<IReadOnlyDictionary<LedgerEntryKey, LedgerEntryPosition>> FindEntriesAsync(
        string ledgerId, IReadOnlyCollection<LedgerEntryKey> keys, CancellationToken cancellationToken = default);

    /// <summary>Atomically stores a block and the head after it.</summary>
    /// <param name="block">The next block; its height must be the stored head's height + 1 and its previous hash the head's hash.</param>
    /// <param name="newHead">The head after the block (<c>head.Advance(block)</c>).</param>
    /// <param name="cancellationToken">Cancels before commit.</param>
    /// <returns>A task that completes once the block is durable.</returns>
    /// <exception cref="LedgerConcurrencyException">When the stored head is not the block's predecessor.</exception>
    Task AppendBlockAsync(LedgerBlock block, LedgerHead newHead, CancellationToken cancellationToken = default);

    /// <summary>Streams blocks in height order, from <paramref name="fromHeight"/> to the head.</summary>
    /// <param name="ledgerId">The ledger id.</param>
    /// <param name="fromHeight">First height to return.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>The blocks.</returns>
    IAsyncEnumerable<LedgerBlock> ReadBlocksAsync(string ledgerId, long fromHeight = 0, CancellationToken cancellationToken = default);

    /// <summary>Ids of all ledgers in the store, sorted.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The ids.</returns>
    Task<IReadOnlyList<string>> ListLedgersAsync(CancellationToken cancellationToken = default);
}
