using HpcK8s.Core.Model;
using HpcK8s.KubeApiServer;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Scaling;
using HpcK8s.Operator.Telemetry;
using HpcK8s.Operator.Tests.Informers;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Tests;

/// <summary>The worker autoscaler's arithmetic, and its writes through the scale subresource of the in-test API server.</summary>
public sealed class AutoscalerTests : IAsyncLifetime
{
    private const string Ns = "hpck8s";
    private const string Deployment = "hpck8s-worker";
    private FakeKubeApiServer _api = null!;
    private k8s.Kubernetes _client = null!;

    public async Task InitializeAsync()
    {
        _api = await FakeKubeApiServer.StartAsync();
        _client = _api.CreateClient();
        await _client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = Deployment, NamespaceProperty = Ns },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "w" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "w" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "w", Image = "w" }] },
                },
            },
        }, Ns);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public void Outstanding_CountsShardsWithoutResult_CappedByParallelism_SkippingSuspendedAndFinished()
    {
        V1Alpha1ComputeJob[] jobs =
        [
            Job(shards: 100, parallelism: 10, JobPhase.Running, succeeded: 0),     // 10 (capped)
            Job(shards: 100, parallelism: 50, JobPhase.Running, succeeded: 95),    // 5 left
            Job(shards: 8, parallelism: null, phase: null, succeeded: 0),          // not started yet: 8
            Job(shards: 100, parallelism: 10, JobPhase.Suspended, succeeded: 0),   // 0
            Job(shards: 100, parallelism: 10, JobPhase.Succeeded, succeeded: 100), // 0
            Job(shards: 100, parallelism: 10, JobPhase.Failed, succeeded: 3),      // 0
        ];

        Assert.Equal(23, WorkerAutoscaler.Outstanding(jobs));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(4, 2)]
    [InlineData(5, 3)]
    [InlineData(10_000, 8)]
    public void Wish_IsCeilingOfOutstandingOverShardsPerReplica_WithinMinAndMax(long outstanding, int replicas) =>
        Assert.Equal(replicas, Autoscaler(new ManualTimeProvider()).Wish(outstanding));

    [Fact]
    public async Task ScaleOnce_ScalesUpAtOnce_AndDownOnlyAfterTheCooldown()
    {
        var time = new ManualTimeProvider();
        var autoscaler = Autoscaler(time);
        var busy = new[] { Job(shards: 100, parallelism: 12, JobPhase.Running, succeeded: 0) };

        Assert.Equal(6, await autoscaler.ScaleOnceAsync(busy, CancellationToken.None));
        Assert.Equal(6, await ReplicasAsync());

        // The work is done, but a minute is within the two-minute cool-down: stay.
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(6, await autoscaler.ScaleOnceAsync([], CancellationToken.None));
        time.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal(1, await autoscaler.ScaleOnceAsync([], CancellationToken.None));
        Assert.Equal(1, await ReplicasAsync());

        // No change, no write.
        var writes = _api.Requests.Count(r => r.Method == "PATCH");
        Assert.Equal(1, await autoscaler.ScaleOnceAsync([], CancellationToken.None));
        Assert.Equal(writes, _api.Requests.Count(r => r.Method == "PATCH"));
        Assert.Equal(2, writes);
    }

    [Fact]
    public async Task ScaleOnce_MissingDeployment_IsNullNotAnError()
    {
        var autoscaler = Autoscaler(new ManualTimeProvider(), deployment: "nope");
        Assert.Null(await autoscaler.ScaleOnceAsync([], CancellationToken.None));
    }

    private WorkerAutoscaler Autoscaler(TimeProvider time, string deployment = Deployment) => new(
        _client,
        Options.Create(new OperatorOptions
        {
            Workers = new WorkerScalingOptions
            {
                Deployment = deployment,
                Namespace = Ns,
                MinReplicas = 1,
                MaxReplicas = 8,
                ShardsPerReplica = 2,
                ScaleDownCooldown = TimeSpan.FromMinutes(2),
            },
        }),
        time,
        new OperatorMetrics(),
        NullLogger<WorkerAutoscaler>.Instance);

    private async Task<int?> ReplicasAsync() => (await _client.AppsV1.ReadNamespacedDeploymentScaleAsync(Deployment, Ns)).Spec.Replicas;

    private static V1Alpha1ComputeJob Job(int shards, int? parallelism, string? phase, int succeeded) => new()
    {
        Metadata = new V1ObjectMeta { Name = "j", NamespaceProperty = "jobs" },
        Spec = new ComputeJobSpec { Shards = shards, Parallelism = parallelism },
        Status = phase is null ? null : new ComputeJobStatus { Phase = phase, Shards = new ShardCounts { Total = shards, Succeeded = succeeded } },
    };
}
