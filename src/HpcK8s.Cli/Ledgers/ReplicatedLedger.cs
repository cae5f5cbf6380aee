using HpcK8s.Core.Ledger;

namespace HpcK8s.Cli.Ledgers;

/// <summary>A ledger as read from its replicas: the chain chosen, how many replicas hold it, and each replica.</summary>
/// <param name="LedgerId">The ledger id.</param>
/// <param name="Chain">The chain the majority holds, or the one ending at the expected head.</param>
/// <param name="Support">Replicas holding exactly <paramref name="Chain"/>.</param>
/// <param name="Quorum">A majority of the replicas.</param>
/// <param name="Replicas">Every replica as read.</param>
internal sealed record ReplicatedLedger(string LedgerId, LedgerChain Chain, int Support, int Quorum, IReadOnlyList<ReplicaRead> Replicas)
{
    /// <summary>One line per replica: height and head, or why it differs from the chosen chain.</summary>
    public IEnumerable<string> Describe()
    {
        foreach (var replica in Replicas)
        {
            yield return $"replica {replica.Index}: {Describe(replica)}";
        }
    }

    /// <summary>Whether the replica holds the chosen chain exactly.</summary>
    public bool InSync(ReplicaRead replica) => replica is { IsValid: true, Chain: { } chain } && chain.HeadHash == Chain.HeadHash;

    private string Describe(ReplicaRead replica)
    {
        if (replica.Unreachable is { } why)
        {
            return $"unreachable: {why}";
        }

        if (replica.Damage is { } damage)
        {
            return $"damaged: {damage}";
        }

        var chain = replica.Chain!;
        if (chain.Blocks.Count == 0)
        {
            return "holds no blocks";
        }

        if (InSync(replica))
        {
            return $"height {chain.Height}, head {chain.HeadHash}, in sync";
        }

        var prefix = chain.Blocks.Count < Chain.Blocks.Count && Chain.Blocks[chain.Blocks.Count - 1].Hash == chain.HeadHash;
        return prefix
            ? $"lagging: height {chain.Height} of {Chain.Height}"
            : $"diverged: height {chain.Height}, head {chain.HeadHash}, not the chain shown";
    }
}
