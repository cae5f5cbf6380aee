using System.Net;
using HpcK8s.Core.Model;
using HpcK8s.Kubernetes;
using HpcK8s.Operator.Reconciliation;
using HpcK8s.Operator.Tests.Informers;
using HpcK8s.Testing;
using HpcK8s.Testing.Interop;
using k8s;
using k8s.Models;
using Xunit.Abstractions;

namespace HpcK8s.Operator.Tests;

/// <summary>The whole operator host (leader election, informer, controller, reconciler, autoscaler, probes, metrics) over
/// real HTTP against the in-test API server and the reference sidecar with a worker attached.</summary>
[Collection(InteropSidecarGroup.Name)]
public sealed class OperatorHostTests(InteropSidecarFixture sidecar, ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private OperatorWorld _world = null!;

    public async Task InitializeAsync()
    {
        _world = await OperatorWorld.StartAsync(sidecar.Endpoint, output);
        await _world.Client.AppsV1.CreateNamespacedDeploymentAsync(new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = OperatorHost.WorkerDeployment, NamespaceProperty = OperatorHost.LeaseNamespace },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "worker" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "worker" } },
                    Spec = new V1PodSpec { Containers = [new V1Container { Name = "worker", Image = "ghcr.io/hpck8s/worker" }] },
                },
            },
        }, OperatorHost.LeaseNamespace);
    }

    public async Task DisposeAsync() => await _world.DisposeAsync();

    [InteropFact]
    public async Task AppliedJob_Succeeds_AndProbesAndMetricsSayHowItWent()
    {
        await using var host = await OperatorHost.StartAsync(_world, output);
        await _world.CreateJobAsync("bbp", new ComputeJobSpec
        {
            Kernel = new KernelReference { Name = "pi-bbp" },
            Parameters = new() { ["position"] = "1", ["count"] = "32" },
            Shards = 4,
        });

        var job = await WaitAsync("bbp", j => j?.Status?.Phase == JobPhase.Succeeded);

        Assert.Equal("243f6a8885a308d313198a2e03707344", job!.Status!.Result!.Value);
        Assert.True(host.Service.IsLeader);
        var (live, _) = await host.GetHealthAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, live);
        var (ready, body) = await host.GetHealthAsync("/readyz");
        Assert.Equal(HttpStatusCode.OK, ready);
        Assert.Equal(2, body.GetProperty("checks").GetArrayLength());
        var metrics = await host.GetMetricsAsync();
        Assert.Contains("hpck8s_operator_reconciles", metrics, StringComparison.Ordinal);
        Assert.Contains("hpck8s_operator_queue_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("hpck8s_operator_jobs{phase=\"Succeeded\"} 1", metrics, StringComparison.Ordinal);
        Assert.Contains("hpck8s_operator_leader 1", metrics, StringComparison.Ordinal);
    }

    [InteropFact]
    public async Task CliSubmitAndWatch_FollowTheOperatorToTheResult()
    {
        await using var host = await OperatorHost.StartAsync(_world, output);
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("hpck8s-kubeconfig-").FullName, "config");
        await File.WriteAllTextAsync(kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: test
              cluster:
                server: {_world.Api.Url}
            users:
            - name: test
              user:
                token: t
            contexts:
            - name: test
              context:
                cluster: test
                user: test
                namespace: {OperatorWorld.Namespace}
            current-context: test
            """);
        var manifest = Path.Combine(RepoPaths.Root, "examples", "pi-bbp.yaml");

        var (exit, stdout, stderr) = await CliAsync("submit", manifest, "--watch", "--timeout", "60s", "--kubeconfig", kubeconfig);

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains("computejob.hpck8s.io/pi-bbp created", stdout, StringComparison.Ordinal);
        var job = await _world.GetJobAsync("pi-bbp");
        Assert.Equal(JobPhase.Succeeded, job!.Status!.Phase);
        Assert.Contains(job.Status.Result!.Digest, stdout, StringComparison.Ordinal);
        var (getExit, table, _) = await CliAsync("get", "--kubeconfig", kubeconfig);
        Assert.Equal(0, getExit);
        Assert.Matches(@"pi-bbp\s+pi-bbp\s+Succeeded\s+8/8\s+" + job.Status.Result.Value, table);
    }

    private static async Task<(int Exit, string Out, string Err)> CliAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exit = await HpcK8s.Cli.CliApp.RunAsync(args, TextReader.Null, stdout, stderr, HpcK8s.Core.Kernels.KernelRegistry.BuiltIn);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [InteropFact]
    public async Task DroppedWatchAnd410_LoseNoJob()
    {
        await using var host = await OperatorHost.StartAsync(_world, output);
        await _world.CreateJobAsync("first", Quick(3));
        await WaitAsync("first", j => j?.Status?.Phase == JobPhase.Succeeded);

        // The watch is cut, history is compacted, and jobs come and go while the operator cannot see: it must relist.
        _world.Api.Compact();
        _world.Api.DropWatches(abortConnections: true);
        await _world.CreateJobAsync("second", Quick(2));
        _world.Api.Compact();
        _world.Api.DropWatches(abortConnections: false);
        await _world.CreateJobAsync("third", Quick(2));

        await WaitAsync("second", j => j?.Status?.Phase == JobPhase.Succeeded);
        await WaitAsync("third", j => j?.Status?.Phase == JobPhase.Succeeded);
        var metrics = await host.GetMetricsAsync();
        Assert.Contains("hpck8s_operator_watch_restarts", metrics, StringComparison.Ordinal);
    }

    [InteropFact]
    public async Task OperatorRestartedMidJob_ResumesWithoutASecondWorkflow()
    {
        var created = await _world.CreateJobAsync("long", OperatorWorld.Scripted(shards: 6, sleepMs: 250, parallelism: 2));
        await using (var first = await OperatorHost.StartAsync(_world, output, "operator-a"))
        {
            await WaitAsync("long", j => j?.Status?.Shards.Succeeded >= 2);
        }

        var workflow = await _world.Workflows.GetWorkflowStateAsync(ComputeJobReconciler.InstanceIdFor(created));
        Assert.NotNull(workflow);
        // The lease the first one held runs out (2 s), then the next one leads.
        await using var second = await OperatorHost.StartAsync(_world, output, "operator-b");
        var job = await WaitAsync("long", j => j?.Status?.Phase == JobPhase.Succeeded);

        Assert.Equal(workflow.CreatedAt, (await _world.Workflows.GetWorkflowStateAsync(job!.Status!.WorkflowInstanceId!))!.CreatedAt);
        Assert.Equal(6, _world.Kernel.Executions);
        Assert.Single(await _world.EventsAsync("long"), e => e.Reason == "Started");
    }

    [InteropFact]
    public async Task TwoOperators_OneLeads_TheOtherTakesOverWhenItStops()
    {
        // A lease far longer than the take-over allowed below: the leader must hand it back when it stops.
        void LongLease(Dictionary<string, string?> s)
        {
            s["HpcK8s:Operator:LeaderElection:LeaseDuration"] = "00:00:30";
            s["HpcK8s:Operator:LeaderElection:RenewDeadline"] = "00:00:20";
        }

        var a = await OperatorHost.StartAsync(_world, output, "operator-a", LongLease);
        await using var b = await OperatorHost.StartAsync(_world, output, "operator-b", LongLease);
        try
        {
            await Eventually.TrueAsync(() => a.Service.IsLeader || b.Service.IsLeader, "one of them leads", TimeSpan.FromSeconds(15));
            await Task.Delay(1000); // several renew periods: still exactly one
            Assert.True(a.Service.IsLeader ^ b.Service.IsLeader, $"a leads: {a.Service.IsLeader}, b leads: {b.Service.IsLeader}");
            var (leading, standing) = a.Service.IsLeader ? (a, b) : (b, a);
            Assert.Equal(leading.Service.Identity, standing.Service.Leader);
            Assert.Contains("hpck8s_operator_leader 0", await standing.GetMetricsAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain("hpck8s_operator_reconciles", await standing.GetMetricsAsync(), StringComparison.Ordinal);

            await _world.CreateJobAsync("one", Quick(2));
            await WaitAsync("one", j => j?.Status?.Phase == JobPhase.Succeeded);

            await leading.DisposeAsync();
            await Eventually.TrueAsync(() => standing.Service.IsLeader, "the standby takes over", TimeSpan.FromSeconds(5));
            await _world.CreateJobAsync("two", Quick(2));
            await WaitAsync("two", j => j?.Status?.Phase == JobPhase.Succeeded);
        }
        finally
        {
            await a.DisposeAsync();
        }
    }

    [InteropFact]
    public async Task Autoscaler_SizesTheWorkersToOutstandingShards_WithinMax_ThenBackToMin()
    {
        await using var host = await OperatorHost.StartAsync(_world, output);
        await _world.CreateJobAsync("wide", OperatorWorld.Scripted(shards: 40, sleepMs: 500, parallelism: 8)); // 2.5 s: several autoscaler looks

        // 8 shards can run at once, 2 per replica: 4 replicas (max 5).
        await Eventually.TrueAsync(async () => await ReplicasAsync() == 4, () => "4 worker replicas", TimeSpan.FromSeconds(20), Poll);
        await WaitAsync("wide", j => j?.Status?.Phase == JobPhase.Succeeded, TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(async () => await ReplicasAsync() == 1, () => "back to 1 worker replica", TimeSpan.FromSeconds(20), Poll);
    }

    [InteropFact]
    public async Task HpaMode_LeavesTheWorkerReplicasAlone()
    {
        await using var host = await OperatorHost.StartAsync(_world, output, adjust: s => s["HpcK8s:Operator:Workers:ScalingMode"] = "hpa");
        await _world.CreateJobAsync("wide", OperatorWorld.Scripted(shards: 20, sleepMs: 50, parallelism: 8));
        await WaitAsync("wide", j => j?.Status?.Phase == JobPhase.Succeeded, TimeSpan.FromSeconds(60));
        Assert.Equal(1, await ReplicasAsync());
        Assert.DoesNotContain(_world.Api.Requests, r => r.Path.EndsWith("/scale", StringComparison.Ordinal) && r.Method != "GET");
    }

    [InteropFact]
    public async Task Readyz_SaysWhichDependencyIsDown()
    {
        await using var host = await OperatorHost.StartAsync(_world, output, adjust: s => s["Dapr:Workflows:GrpcEndpoint"] = $"http://127.0.0.1:{OperatorWorld.FreePort()}");
        var (status, body) = await host.GetHealthAsync("/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        var checks = body.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!, c => c);
        Assert.Equal("Healthy", checks["kubernetes-api"].GetProperty("status").GetString());
        Assert.Equal("Unhealthy", checks["dapr-workflows"].GetProperty("status").GetString());
        Assert.Contains("Dapr:Workflows:GrpcEndpoint", checks["dapr-workflows"].GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await host.GetHealthAsync("/healthz")).Status);
    }

    private async Task<int?> ReplicasAsync() =>
        (await _world.Client.AppsV1.ReadNamespacedDeploymentScaleAsync(OperatorHost.WorkerDeployment, OperatorHost.LeaseNamespace)).Spec.Replicas;

    private async Task<V1Alpha1ComputeJob?> WaitAsync(string name, Func<V1Alpha1ComputeJob?, bool> until, TimeSpan? timeout = null)
    {
        V1Alpha1ComputeJob? job = null;
        await Eventually.TrueAsync(async () => until(job = await _world.GetJobAsync(name)),
            () => $"job {name} gets there; last status: {KubernetesJson.Serialize(job?.Status)}", timeout ?? TimeSpan.FromSeconds(30), Poll);
        return job;
    }

    private static ComputeJobSpec Quick(int shards) => OperatorWorld.Scripted(shards, sleepMs: 1, parallelism: shards);
}
