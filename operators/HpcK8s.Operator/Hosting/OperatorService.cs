using HpcK8s.Core.Model;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Informers;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Operator.Scaling;
using HpcK8s.Operator.Telemetry;
using k8s;
using k8s.LeaderElection;
using k8s.LeaderElection.ResourceLock;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Hosting;

/// <summary>
/// Runs the operator: elects a leader through a Lease, and while this replica leads, runs the ComputeJob informer, the
/// controller that feeds the reconciler, and (operator scaling mode) the worker autoscaler.
/// </summary>
/// <remarks>
/// <para>Non-leaders watch nothing and write nothing; they wait to take over. A leader that cannot renew its lease stops
/// everything it started before another can lead, and then stands for election again.</para>
/// <para>Everything runs on fresh objects per term, so a new term starts from a full list, as a restarted process would.</para>
/// </remarks>
[Rbac(ComputeJobResource.Group, ComputeJobResource.Plural, "list", "watch")] // the informer
[Rbac("coordination.k8s.io", "leases", "create", Scope = RbacScope.Local)] // create cannot be limited by name
[Rbac("coordination.k8s.io", "leases", "get", "update", Scope = RbacScope.Local, ResourceNames = "the lease")]
internal sealed partial class OperatorService(
    IKubernetes client,
    ComputeJobReconciler reconciler,
    WorkerAutoscaler autoscaler,
    IOptions<OperatorOptions> options,
    OperatorMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<OperatorService>();
    private volatile string? _leader;

    /// <summary>Whether this replica leads now.</summary>
    public bool IsLeader => metrics.IsLeader;

    /// <summary>The last leader this replica saw (its own identity when it leads).</summary>
    public string? Leader => _leader;

    /// <summary>This candidate's identity in the Lease.</summary>
    public string Identity { get; } = PodIdentity.Identity(options.Value.LeaderElection.Identity);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var election = options.Value.LeaderElection;
        if (!election.Enabled)
        {
            LeaderElectionOff(_logger);
            metrics.IsLeader = true;
            _leader = Identity;
            await LeadAsync(stoppingToken).ConfigureAwait(false);
            return;
        }

        var leaseNamespace = PodIdentity.Namespace(election.LeaseNamespace);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var term = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            Task leading = Task.CompletedTask;
            var led = false;
            using var elector = new LeaderElector(new LeaderElectionConfig(new LeaseLock(client, leaseNamespace, election.LeaseName, Identity))
            {
                LeaseDuration = election.LeaseDuration,
                RenewDeadline = election.RenewDeadline,
                RetryPeriod = election.RetryPeriod,
            });
            elector.OnStartedLeading += () =>
            {
                metrics.IsLeader = true;
                led = true;
                _leader = Identity;
                StartedLeading(_logger, Identity, leaseNamespace, election.LeaseName);
                leading = Task.Run(() => LeadAsync(term.Token), CancellationToken.None);
            };
            elector.OnStoppedLeading += () =>
            {
                metrics.IsLeader = false;
                term.Cancel();
            };
            elector.OnNewLeader += leader =>
            {
                _leader = leader;
                if (leader != Identity)
                {
                    Following(_logger, leader, leaseNamespace, election.LeaseName);
                }
            };
            elector.OnError += e => LeaseError(_logger, e.Message);
            try
            {
                await elector.RunUntilLeadershipLostAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
            }
            finally
            {
                metrics.IsLeader = false;
                await term.CancelAsync().ConfigureAwait(false);
                await leading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                if (led && stoppingToken.IsCancellationRequested)
                {
                    // Everything this term started has stopped: hand the lease back, so that a rolling update does not leave
                    // the jobs unattended for a whole lease duration (client-go's ReleaseOnCancel).
                    await ReleaseAsync(leaseNamespace, election.LeaseName).ConfigureAwait(false);
                }
            }

            if (!stoppingToken.IsCancellationRequested)
            {
                StoppedLeading(_logger, Identity);
            }
        }
    }

    private async Task ReleaseAsync(string leaseNamespace, string leaseName)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            var lease = new LeaseLock(client, leaseNamespace, leaseName, Identity);
            var held = await lease.GetAsync(timeout.Token).ConfigureAwait(false);
            if (held.HolderIdentity != Identity)
            {
                return;
            }

            // An empty holder is a free lease: the next candidate takes it on its next try.
            var released = await lease.UpdateAsync(new LeaderElectionRecord
            {
                HolderIdentity = "",
                LeaseDurationSeconds = 1,
                AcquireTime = held.AcquireTime,
                RenewTime = DateTime.UtcNow,
                LeaderTransitions = held.LeaderTransitions,
            }, timeout.Token).ConfigureAwait(false);
            if (released)
            {
                Released(_logger, Identity, leaseNamespace, leaseName);
            }
        }
        catch (Exception e)
        {
            // The lease then simply runs out; shutting down must not fail for it.
            LeaseError(_logger, $"could not hand back the lease on shutdown: {e.Message}");
        }
    }

    private async Task LeadAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var informer = new ResourceInformer<V1Alpha1ComputeJob>(
            client,
            new InformerOptions
            {
                Group = ComputeJobResource.Group,
                Version = ComputeJobResource.Version,
                Plural = ComputeJobResource.Plural,
                Namespace = settings.WatchNamespace,
                ResyncPeriod = settings.ResyncPeriod,
            },
            loggers.CreateLogger<ResourceInformer<V1Alpha1ComputeJob>>(),
            metrics,
            time);
        var controller = new Controller<V1Alpha1ComputeJob>(
            informer, reconciler, new ControllerOptions { Workers = settings.ReconcileConcurrency }, loggers.CreateLogger<Controller<V1Alpha1ComputeJob>>(), metrics);
        metrics.JobsByPhase = () => informer.List()
            .GroupBy(j => j.Status?.Phase ?? JobPhase.Pending, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        // The controller runs the informer (list, watch, resync) for as long as it runs.
        var loops = new List<Task> { controller.RunAsync(cancellationToken) };
        if (settings.Workers.OperatorScales)
        {
            loops.Add(ScaleAsync(informer, cancellationToken));
        }

        Leading(_logger, string.IsNullOrEmpty(settings.WatchNamespace) ? "all namespaces" : $"namespace {settings.WatchNamespace}", settings.Workers.OperatorScales ? $"scales {settings.Workers.Namespace}/{settings.Workers.Deployment}" : $"leaves worker scaling to {settings.Workers.ScalingMode}");
        try
        {
            await Task.WhenAll(loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            metrics.JobsByPhase = null;
        }
    }

    private async Task ScaleAsync(ResourceInformer<V1Alpha1ComputeJob> informer, CancellationToken cancellationToken)
    {
        await informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
        await autoscaler.RunAsync(informer.List, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(4001, LogLevel.Information, "Leading as {Identity} (lease {Namespace}/{Lease})")]
    private static partial void StartedLeading(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(4002, LogLevel.Warning, "{Identity} lost the lease; stopped reconciling and stands for election again")]
    private static partial void StoppedLeading(ILogger logger, string identity);

    [LoggerMessage(4003, LogLevel.Information, "Following leader {Leader} (lease {Namespace}/{Lease}); not reconciling")]
    private static partial void Following(ILogger logger, string leader, string @namespace, string lease);

    [LoggerMessage(4004, LogLevel.Warning, "Leader election error: {Error}")]
    private static partial void LeaseError(ILogger logger, string error);

    [LoggerMessage(4005, LogLevel.Warning, "Leader election is off (HpcK8s:Operator:LeaderElection:Enabled=false): this replica reconciles; run only one")]
    private static partial void LeaderElectionOff(ILogger logger);

    [LoggerMessage(4007, LogLevel.Information, "{Identity} handed back the lease {Namespace}/{Lease} on shutdown")]
    private static partial void Released(ILogger logger, string identity, string @namespace, string lease);

    [LoggerMessage(4006, LogLevel.Information, "Reconciling ComputeJobs in {Scope}; {Scaling}")]
    private static partial void Leading(ILogger logger, string scope, string scaling);
}
