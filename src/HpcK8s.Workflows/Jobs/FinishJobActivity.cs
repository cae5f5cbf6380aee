using HpcK8s.Core.Hashing;
using HpcK8s.Core.Kernels;
using HpcK8s.Workflows.Authoring;

namespace HpcK8s.Workflows.Jobs;

/// <summary>Turns a job's merged partial into its result (the heavy final step of e.g. pi-digits).</summary>
public sealed class FinishJobActivity(KernelRegistry kernels) : WorkflowActivity<FinishJobInput, FinishJobOutput>
{
    /// <summary>The activity's registered name.</summary>
    public const string ActivityName = "FinishJob";

    /// <inheritdoc />
    public override Task<FinishJobOutput> RunAsync(WorkflowActivityContext context, FinishJobInput input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var result = kernels.Get(input.Kernel).Finish(new KernelJob(input.Parameters, input.Shards), input.Merged, context.CancellationToken);
        return Task.FromResult(new FinishJobOutput(result.Value, Digest.OfText(result.Value), result.Details));
    }
}
