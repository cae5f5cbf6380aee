namespace HpcK8s.Operator;

/// <summary>The worker Deployment and how the operator sizes it.</summary>
public sealed class WorkerScalingOptions
{
    /// <summary><see cref="ScalingMode"/> value: the operator sets the Deployment's replicas from the outstanding shards.</summary>
    public const string OperatorMode = "operator";

    /// <summary><see cref="ScalingMode"/> value: a HorizontalPodAutoscaler owns the replicas; the operator leaves them alone.</summary>
    public const string HpaMode = "hpa";

    /// <summary><see cref="ScalingMode"/> value: a KEDA ScaledObject owns the replicas; the operator leaves them alone.</summary>
    public const string KedaMode = "keda";

    /// <summary>The worker Deployment's name. Empty: no scaling (as for <see cref="HpaMode"/>).</summary>
    public string? Deployment { get; set; }

    /// <summary>The worker Deployment's namespace. Empty: the lease namespace's rules (<c>POD_NAMESPACE</c>, …).</summary>
    public string? Namespace { get; set; }

    /// <summary><see cref="OperatorMode"/> (default), <see cref="HpaMode"/> or <see cref="KedaMode"/>. Case-insensitive.</summary>
    public string ScalingMode { get; set; } = OperatorMode;

    /// <summary>Fewest replicas: 0 to <see cref="MaxReplicas"/>. Default 1.</summary>
    public int MinReplicas { get; set; } = 1;

    /// <summary>Most replicas: 1 to 1000. Default 10.</summary>
    public int MaxReplicas { get; set; } = 10;

    /// <summary>Shards one worker replica runs at once (its share of the outstanding shards): 1 to 10,000. Default 2, one per
    /// CPU of the chart's default worker limit.</summary>
    public int ShardsPerReplica { get; set; } = 2;

    /// <summary>How often the autoscaler looks: 1 second to 10 minutes. Default 10 seconds.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Scale-down stabilisation: the replicas never drop below the highest wish of this window (as the HPA's
    /// <c>scaleDown.stabilizationWindowSeconds</c>). Zero to one hour. Default 2 minutes. Scaling up is immediate.</summary>
    public TimeSpan ScaleDownCooldown { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>True when the operator sizes the Deployment itself.</summary>
    public bool OperatorScales => string.Equals(ScalingMode, OperatorMode, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(Deployment);

    internal IEnumerable<string> Validate(string section)
    {
        if (!string.Equals(ScalingMode, OperatorMode, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(ScalingMode, HpaMode, StringComparison.OrdinalIgnoreCase) &&
            !string.Equals(ScalingMode, KedaMode, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{section}:{nameof(ScalingMode)} must be '{OperatorMode}', '{HpaMode}' or '{KedaMode}' (got '{ScalingMode}').";
        }

        if (MaxReplicas is < 1 or > 1000)
        {
            yield return $"{section}:{nameof(MaxReplicas)} must be 1 to 1000 (got {MaxReplicas}).";
        }

        if (MinReplicas < 0 || MinReplicas > MaxReplicas)
        {
            yield return $"{section}:{nameof(MinReplicas)} must be 0 to {section}:{nameof(MaxReplicas)} ({MaxReplicas}) (got {MinReplicas}).";
        }

        if (ShardsPerReplica is < 1 or > 10_000)
        {
            yield return $"{section}:{nameof(ShardsPerReplica)} must be 1 to 10000 (got {ShardsPerReplica}).";
        }

        if (Interval < TimeSpan.FromSeconds(1) || Interval > TimeSpan.FromMinutes(10))
        {
            yield return $"{section}:{nameof(Interval)} must be 00:00:01 to 00:10:00 (got {Interval}).";
        }

        if (ScaleDownCooldown < TimeSpan.Zero || ScaleDownCooldown > TimeSpan.FromHours(1))
        {
            yield return $"{section}:{nameof(ScaleDownCooldown)} must be 00:00:00 to 01:00:00 (got {ScaleDownCooldown}).";
        }
    }
}
