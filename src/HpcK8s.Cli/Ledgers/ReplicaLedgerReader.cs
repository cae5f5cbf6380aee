using HpcK8s.Core.Ledger;
using HpcK8s.Dapr.Ledger;

namespace HpcK8s.Cli.Ledgers;

/// <summary>Reads a ledger's actor replicas one by one, read-only, and picks the chain to show and verify.</summary>
/// <remarks>The CLI never repairs: <see cref="ReplicatedLedgerStore"/> would bring lagging or damaged replicas to the
/// majority on a read, and with a wrong replica count (<c>--replicas</c>) that majority could be empty replicas. An
/// auditor's read must change nothing, so each replica's chain is fetched with <c>ReadBlocksAsync</c> and verified on
/// its own.</remarks>
internal sealed class ReplicaLedgerReader(ILedgerReplicaFactory replicas)
{
    /// <summary>How long one replica may take to answer one page.</summary>
    public TimeSpan ReplicaTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Blocks per read.</summary>
    public int PageSize { get; init; } = 128;

    /// <summary>Reads the <paramref name="replicaCount"/> replicas of <paramref name="ledgerId"/> and chooses the chain:
    /// the one ending at <paramref name="expectedHead"/> if a replica holds it, else the one a majority holds.</summary>
    /// <exception cref="CliException">No replica answered (exit 3), none holds blocks, or no majority agrees.</exception>
    public async Task<ReplicatedLedger> ReadAsync(string ledgerId, int replicaCount, Hash256? expectedHead, string sidecar, CancellationToken cancellationToken)
    {
        try
        {
            LedgerActorIds.Validate(ledgerId);
        }
        catch (ArgumentException e)
        {
            throw new CliException(ExitCodes.InvalidInput, e.Message, e);
        }

        var reads = await Task.WhenAll(Enumerable.Range(0, replicaCount).Select(i => ReadOneAsync(ledgerId, replicas.Create(ledgerId, i), cancellationToken))).ConfigureAwait(false);
        var quorum = (replicaCount / 2) + 1;
        if (reads.All(r => r.Unreachable is not null))
        {
            throw new CliException(ExitCodes.Unavailable,
                $"no replica of ledger {ledgerId} answered through the Dapr sidecar at {sidecar} ({reads[0].Unreachable}); "
                + "forward a worker's sidecar (kubectl port-forward deploy/<release>-worker 3500:3500) and set DAPR_API_TOKEN to the chart's token "
                + "(kubectl get secret <release>-dapr-api-token -o jsonpath='{.data.token}' | base64 -d)");
        }

        var valid = reads.Where(r => r.IsValid).ToList();
        if (valid.Count == 0)
        {
            var why = reads.Any(r => r.Damage is not null) ? "every replica that answered is damaged" : "no replica that answered holds a block";
            throw new CliException(ExitCodes.Failed,
                $"ledger {ledgerId}: {why} ({string.Join("; ", reads.Select(r => $"replica {r.Index}: {r.Damage ?? r.Unreachable ?? "empty"}"))}); "
                + "check the id (status.ledger.id of the job) and --replicas (spec.ledger.replicas)");
        }

        var groups = valid.GroupBy(r => r.Chain!.HeadHash).OrderByDescending(g => g.Count()).ThenByDescending(g => g.First().Chain!.Height).ToList();
        var chosen = expectedHead is { } head ? groups.FirstOrDefault(g => g.Key == head) : null;
        if (chosen is null && groups[0].Count() < quorum && expectedHead is null)
        {
            throw new CliException(ExitCodes.Failed,
                $"ledger {ledgerId}: no majority ({quorum} of {replicaCount}) of replicas holds the same valid chain "
                + $"({string.Join("; ", reads.Select(r => $"replica {r.Index}: {Summary(r)}"))}); pass --expect-head with the job's status.ledger.head to pick the chain it recorded");
        }

        // With an expected head no replica ends at, show the majority's (or longest) chain: verifying it against the
        // head then says exactly how it differs.
        chosen ??= groups[0];
        return new ReplicatedLedger(ledgerId, chosen.First().Chain!, chosen.Count(), quorum, reads);
    }

    private static string Summary(ReplicaRead r) =>
        r.Unreachable is not null ? "unreachable" : r.Damage is not null ? "damaged" : r.Chain is { Blocks.Count: > 0 } c ? $"height {c.Height}, head {c.HeadHash}" : "empty";

    private async Task<ReplicaRead> ReadOneAsync(string ledgerId, ILedgerReplica replica, CancellationToken cancellationToken)
    {
        var blocks = new List<LedgerBlockData>();
        LedgerReplicaHead head;
        try
        {
            while (true)
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ReplicaTimeout);
                var page = await replica.ReadBlocksAsync(new LedgerReadRequest(blocks.Count, PageSize), timeout.Token).WaitAsync(timeout.Token).ConfigureAwait(false);
                head = page.Head;
                blocks.AddRange(page.Blocks ?? []);
                if (page.Missing is { } missing)
                {
                    return new ReplicaRead(replica.Index, null, null, $"block {missing} is missing from its state");
                }

                if (page.Blocks is null or { Count: 0 } || blocks.Count > head.Height)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ReplicaRead(replica.Index, null, $"no answer within {ReplicaTimeout.TotalSeconds:0} s", null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Whatever the transport or the actor says, this replica could not be read.
            return new ReplicaRead(replica.Index, null, Innermost(e), null);
        }

        var chain = new List<LedgerBlock>();
        foreach (var data in blocks)
        {
            try
            {
                chain.Add(data.ToBlock());
            }
            catch (LedgerFormatException e)
            {
                return new ReplicaRead(replica.Index, new LedgerChain(ledgerId, chain), null, $"block {chain.Count} is not in canonical form: {e.Message}");
            }
        }

        var read = new LedgerChain(ledgerId, chain);
        if (chain.Count > 0 && read.Verify() is { IsValid: false } result)
        {
            return new ReplicaRead(replica.Index, read, null, result.Reason);
        }

        if (head.Height != read.Height || (chain.Count > 0 && head.Hash != read.HeadHash.ToString()))
        {
            return new ReplicaRead(replica.Index, read, null, $"its head (height {head.Height}, {head.Hash}) does not match its blocks (height {read.Height})");
        }

        return new ReplicaRead(replica.Index, read, null, null);
    }

    private static string Innermost(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner == e || e.Message.Contains(inner.Message, StringComparison.Ordinal) ? e.Message : $"{e.Message} ({inner.Message})";
    }
}
