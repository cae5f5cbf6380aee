namespace HpcK8s.Operator;

/// <summary>Settings of the operator (section <see cref="SectionName"/>). Every setting works when left empty.</summary>
/// <remarks>The chart sets these through environment variables (<c>HpcK8s__Operator__WatchNamespace</c>, …). The workflow
/// endpoint is <c>Dapr:Workflows:GrpcEndpoint</c>: the <em>workers'</em> sidecar, because a workflow runs under the app id
/// whose sidecar started it.</remarks>
public sealed class OperatorOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "HpcK8s:Operator";

    /// <summary>The namespace whose ComputeJobs to watch; empty: all namespaces.</summary>
    public string? WatchNamespace { get; set; }

    /// <summary>How many jobs are reconciled at once: 1 to 64. Default 4.</summary>
    public int ReconcileConcurrency { get; set; } = 4;

    /// <summary>How often a running job's workflow is polled for progress: 100 ms to 5 minutes. Default 2 seconds.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often the informer replays every cached job to the reconciler: zero (never) to 24 hours. Default 5 minutes.</summary>
    public TimeSpan ResyncPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Leader election.</summary>
    public LeaderElectionOptions LeaderElection { get; set; } = new();

    /// <summary>The worker Deployment and how it is scaled.</summary>
    public WorkerScalingOptions Workers { get; set; } = new();

    /// <summary>Validates the options.</summary>
    /// <returns>One message per problem, each naming the configuration key to fix; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (ReconcileConcurrency is < 1 or > 64)
        {
            errors.Add($"{SectionName}:{nameof(ReconcileConcurrency)} must be 1 to 64 (got {ReconcileConcurrency}).");
        }

        if (PollInterval < TimeSpan.FromMilliseconds(100) || PollInterval > TimeSpan.FromMinutes(5))
        {
            errors.Add($"{SectionName}:{nameof(PollInterval)} must be 00:00:00.1 to 00:05:00 (got {PollInterval}).");
        }

        if (ResyncPeriod < TimeSpan.Zero || ResyncPeriod > TimeSpan.FromHours(24))
        {
            errors.Add($"{SectionName}:{nameof(ResyncPeriod)} must be 00:00:00 (off) to 1.00:00:00 (got {ResyncPeriod}).");
        }

        errors.AddRange(LeaderElection.Validate($"{SectionName}:{nameof(LeaderElection)}"));
        errors.AddRange(Workers.Validate($"{SectionName}:{nameof(Workers)}"));
        return errors;
    }
}
