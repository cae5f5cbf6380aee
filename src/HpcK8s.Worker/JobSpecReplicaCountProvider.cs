using System.Collections.Concurrent;
using HpcK8s.Dapr.Ledger;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.Jobs;
using Microsoft.Extensions.Options;

namespace HpcK8s.Worker;

/// <summary>
/// A ledger's replica count from its job's <c>spec.ledger.replicas</c>: the operator names each job's ledger after the
/// job's workflow instance, so the worker reads that instance's input. Ledgers of other origins (or before the instance
/// can be read) get <see cref="LedgerReplicationOptions.Replicas"/>.
/// </summary>
/// <remarks>The answer is remembered per ledger: quorums are computed from it, so it must not change during a ledger's life.</remarks>
internal sealed class JobSpecReplicaCountProvider(DaprWorkflowClient workflows, IOptions<LedgerReplicationOptions> options) : ILedgerReplicaCountProvider
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public async ValueTask<int> GetReplicaCountAsync(string ledgerId, CancellationToken cancellationToken)
    {
        if (_counts.TryGetValue(ledgerId, out var known))
        {
            return known;
        }

        var count = options.Value.Replicas;
        if (WorkflowInstanceIds.IsValid(ledgerId) &&
            await workflows.GetWorkflowStateAsync(ledgerId, cancellationToken).ConfigureAwait(false) is { Name: ComputeJobWorkflow.WorkflowName } state &&
            state.ReadInputAs<ComputeJobInput>() is { } input && input.Ledger == ledgerId)
        {
            count = input.Spec.Ledger.Replicas;
        }

        return _counts.GetOrAdd(ledgerId, count);
    }
}
