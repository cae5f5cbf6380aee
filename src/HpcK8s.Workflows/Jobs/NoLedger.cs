namespace HpcK8s.Workflows.Jobs;

/// <summary>A ledger that records nothing: for tests of the workflows alone and benchmarks of the engine alone.</summary>
public sealed class NoLedger : IJobLedger
{
    /// <summary>The shared instance.</summary>
    public static NoLedger Instance { get; } = new();

    /// <inheritdoc />
    public Task<LedgerHead?> AppendAsync(string jobName, IReadOnlyList<LedgerRecord> records, CancellationToken cancellationToken) =>
        Task.FromResult<LedgerHead?>(null);

    /// <inheritdoc />
    public Task<bool> ExistsAsync(string ledgerId, CancellationToken cancellationToken) => Task.FromResult(false);
}
