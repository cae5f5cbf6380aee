using System.Net;
using HpcK8s.Core.Model;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Telemetry;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Scaling;

/// <summary>
/// Sizes the worker Deployment from the shards the running jobs still have to run: replicas =
/// ceil(outstanding / <see cref="WorkerScalingOptions.ShardsPerReplica"/>), within min and max, written through the
/// Deployment's scale subresource.
/// </summary>
/// <remarks>
/// <para>A job's outstanding shards are those without a result, capped by its parallelism (more could not run at once).
/// Suspended and finished jobs count zero; a job not yet started counts its whole parallelism.</para>
/// <para>Scaling up is immediate; scaling down waits: the replicas are the highest wish of the last
/// <see cref="WorkerScalingOptions.ScaleDownCooldown"/>, as the HPA's scale-down stabilisation window does, so a gap
/// between two jobs does not kill workers that the next one needs.</para>
/// <para>Only when <see cref="WorkerScalingOptions.ScalingMode"/> is <c>operator</c>; an HPA or KEDA owns the replicas otherwise.</para>
/// </remarks>
[Rbac("apps", "deployments/scale", "get", "patch", Scope = RbacScope.Local, ResourceNames = "the worker Deployment")]
internal sealed partial class WorkerAutoscaler(
    IKubernetes client,
    IOptions<OperatorOptions> options,
    TimeProvider time,
    OperatorMetrics metrics,
    ILogger<WorkerAutoscaler> logger)
{
    private readonly Queue<(DateTimeOffset At, int Replicas)> _wishes = new();
    private bool _missingReported;

    /// <summary>Shards the jobs still have to run, each job capped by its parallelism.</summary>
    public static long Outstanding(IEnumerable<V1Alpha1ComputeJob> jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        long outstanding = 0;
        foreach (var job in jobs)
        {
            var status = job.Status;
            if (job.Metadata.DeletionTimestamp is not null || job.Spec.Suspend ||
                status is not null && (JobPhase.IsTerminal(status.Phase) || status.Phase == JobPhase.Suspended))
            {
                continue;
            }

            var left = job.Spec.Shards - (status?.Shards.Succeeded ?? 0) - (status?.Shards.Failed ?? 0);
            outstanding += Math.Clamp(left, 0, job.Spec.EffectiveParallelism);
        }

        return outstanding;
    }

    /// <summary>The replicas <paramref name="outstanding"/> shards call for, within min and max.</summary>
    public int Wish(long outstanding)
    {
        var workers = options.Value.Workers;
        var needed = (outstanding + workers.ShardsPerReplica - 1) / workers.ShardsPerReplica;
        return (int)Math.Clamp(needed, workers.MinReplicas, workers.MaxReplicas);
    }

    /// <summary>Looks once: computes the wish, applies the cool-down, and sets the Deployment's replicas when they differ.</summary>
    /// <param name="jobs">The jobs (the informer's cache).</param>
    /// <param name="cancellationToken">Cancels the calls.</param>
    /// <returns>The replicas the Deployment should have now, or null when it does not exist.</returns>
    public async Task<int?> ScaleOnceAsync(IEnumerable<V1Alpha1ComputeJob> jobs, CancellationToken cancellationToken)
    {
        var workers = options.Value.Workers;
        var now = time.GetUtcNow();
        var outstanding = Outstanding(jobs);
        _wishes.Enqueue((now, Wish(outstanding)));
        while (_wishes.Count > 1 && _wishes.Peek().At < now - workers.ScaleDownCooldown)
        {
            _wishes.Dequeue();
        }

        var target = _wishes.Max(w => w.Replicas);
        metrics.DesiredReplicas = target;
        var (name, ns) = (workers.Deployment!, workers.Namespace ?? "default");
        V1Scale scale;
        try
        {
            scale = await client.AppsV1.ReadNamespacedDeploymentScaleAsync(name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            if (!_missingReported)
            {
                DeploymentMissing(logger, ns, name);
                _missingReported = true;
            }

            return null;
        }

        _missingReported = false;
        var current = scale.Spec?.Replicas ?? 0;
        if (current != target)
        {
            var patch = new V1Patch("{\"spec\":{\"replicas\":" + target.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}}", V1Patch.PatchType.MergePatch);
            await client.AppsV1.PatchNamespacedDeploymentScaleAsync(patch, name, ns, fieldManager: "hpck8s-operator", cancellationToken: cancellationToken).ConfigureAwait(false);
            metrics.ScaleChanged();
            Scaled(logger, ns, name, current, target, outstanding);
        }

        return target;
    }

    /// <summary>Scales every <see cref="WorkerScalingOptions.Interval"/> until cancelled; errors are logged and retried next time.</summary>
    /// <param name="jobs">Reads the jobs (the informer's cache).</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    /// <returns>A task that ends when cancelled.</returns>
    public async Task RunAsync(Func<IEnumerable<V1Alpha1ComputeJob>> jobs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        using var timer = new PeriodicTimer(options.Value.Workers.Interval, time);
        do
        {
            try
            {
                await ScaleOnceAsync(jobs(), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                ScaleFailed(logger, options.Value.Workers.Deployment, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }

    [LoggerMessage(3001, LogLevel.Information, "Worker Deployment {Namespace}/{Name}: {From} -> {To} replicas for {Outstanding} outstanding shard(s)")]
    private static partial void Scaled(ILogger logger, string @namespace, string name, int from, int to, long outstanding);

    [LoggerMessage(3002, LogLevel.Warning, "Worker Deployment {Namespace}/{Name} does not exist; not scaling until it does (HpcK8s:Operator:Workers:Deployment)")]
    private static partial void DeploymentMissing(ILogger logger, string @namespace, string name);

    [LoggerMessage(3003, LogLevel.Warning, "Could not scale worker Deployment {Name}: {Error}; trying again next interval")]
    private static partial void ScaleFailed(ILogger logger, string? name, string error);
}
