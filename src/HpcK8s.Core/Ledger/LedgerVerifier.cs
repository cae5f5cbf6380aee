namespace HpcK8s.Core.Ledger;

/// <summary>Walks a ledger from block 0 and checks every height, link, root, hash, signature and the entry rules;
/// stops at the first bad block and says why. Uses only the recorded data (never the clock).</summary>
/// <remarks>Blocks are streamed: memory grows with the number of entry keys and shards, not with entry sizes.</remarks>
public static class LedgerVerifier
{
    /// <summary>Verifies blocks in order.</summary>
    /// <param name="blocks">The blocks, from height 0.</param>
    /// <param name="options">Expected id, key and head; null for none.</param>
    /// <returns>The result.</returns>
    public static LedgerVerificationResult Verify(IEnumerable<LedgerBlock> blocks, LedgerVerifyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var state = new LedgerVerificationState(options ?? new LedgerVerifyOptions());
        foreach (var block in blocks)
        {
            if (!state.Add(block))
            {
                return state.Result();
            }
        }

        return state.Finish();
    }

    /// <summary>Verifies blocks in order as a store streams them.</summary>
    /// <param name="blocks">The blocks, from height 0.</param>
    /// <param name="options">Expected id, key and head; null for none.</param>
    /// <param name="cancellationToken">Stops the walk.</param>
    /// <returns>The result.</returns>
    public static async Task<LedgerVerificationResult> VerifyAsync(
        IAsyncEnumerable<LedgerBlock> blocks, LedgerVerifyOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var state = new LedgerVerificationState(options ?? new LedgerVerifyOptions());
        await foreach (var block in blocks.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (!state.Add(block))
            {
                return state.Result();
            }
        }

        return state.Finish();
    }
}
