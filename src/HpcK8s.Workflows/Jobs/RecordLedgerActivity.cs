using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>Appends records to the job's ledger through <see cref="IJobLedger"/>.</summary>
public sealed class RecordLedgerActivity(IJobLedger ledger) : WorkflowActivity<RecordLedgerInput, LedgerHead?>
{
    /// <summary>The activity's registered name.</summary>
    public const string ActivityName = "RecordLedger";

    /// <inheritdoc />
    public override Task<LedgerHead?> RunAsync(WorkflowActivityContext context, RecordLedgerInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        return ledger.AppendAsync(input.JobName, input.Records, context.CancellationToken);
    }
}
