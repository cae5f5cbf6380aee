using System.Globalization;
using System.Text.Json;
using HpcK8s.Testing.Docs;
using HpcK8s.Testing.Tools;
using Xunit.Abstractions;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>
/// docs/quickstart-kind.md on a real cluster (K3s in Docker, set up by <see cref="ClusterFixture"/> with the page's own
/// steps): the pi-digits job runs to Succeeded with the digest this machine computes and a ledger that verifies; a job
/// survives its workers being killed; the page's diagnostics and clean-up work. The tests run in this order.
/// </summary>
[Collection(ClusterTestGroup.Name)]
[TestCaseOrderer(StepOrderer.TypeName, StepOrderer.AssemblyName)]
public sealed class QuickstartOnK3sTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const string Namespace = "hpck8s";
    private const string WorkerPods = "app.kubernetes.io/instance=hpck8s,app.kubernetes.io/component=worker";
    private static readonly TimeSpan Short = TimeSpan.FromMinutes(2);

    [EndToEndFact]
    [Step(1)]
    public Task PiDigits_Succeeds_WithThisMachinesDigest_AndAVerifiedLedger() => TranscribedAsync(async () =>
    {
        var job = JobName(cluster.Page.Step(QuickstartSteps.Submit).Commands.Single().Words[^1]);
        await cluster.Shell.RunStepAsync(QuickstartSteps.Submit, Short);

        // kubectl get cj -w: the printer columns, then the job's row.
        var watched = await cluster.Shell.RunStepUntilAsync(QuickstartSteps.Watch, line => line.StartsWith(job + " ", StringComparison.Ordinal), TimeSpan.FromMinutes(5));
        Assert.Matches(@"NAME\s+KERNEL\s+PHASE\s+PROGRESS\s+RESULT\s+AGE", watched);

        await cluster.Shell.RunStepAsync(QuickstartSteps.Wait, TimeSpan.FromMinutes(20));

        // The cluster's digest, then this machine's run of the same manifest.
        var lines = (await cluster.Shell.RunStepAsync(QuickstartSteps.Result, TimeSpan.FromMinutes(10))).Split('\n');
        var onCluster = lines[0].Trim();
        Assert.StartsWith("sha256:", onCluster, StringComparison.Ordinal);
        Assert.Equal(LocalDigest(string.Join('\n', lines.Skip(1))), onCluster);

        await VerifyLedgerAsync(null);
    });

    [EndToEndFact]
    [Step(2)]
    public Task WorkersKilledMidJob_TheJobStillSucceeds_WithThisMachinesResult() => TranscribedAsync(async () =>
    {
        // Big enough to be killed partway through: over a minute of Monte Carlo on one two-core worker.
        const string job = "pi-montecarlo-kill";
        var manifest = Path.Combine(cluster.Scratch, job + ".yaml");
        await File.WriteAllTextAsync(manifest, $$"""
            apiVersion: hpck8s.io/v1alpha1
            kind: ComputeJob
            metadata: { name: {{job}} }
            spec:
              kernel: { name: pi-montecarlo }
              parameters: { samples: "200000000000", seed: "7" }
              shards: 400
              parallelism: 8
              retry: { maxAttempts: 5, backoff: 1s }
              activeDeadlineSeconds: 3600
            """);

        // This machine computes the same job meanwhile, on the CLI the cli step built.
        var hpck8s = Path.Combine(RepoPaths.Root, "src", "HpcK8s.Cli", "bin", "Release", "net10.0", "hpck8s");
        var local = ProcessRunner.RunAsync(hpck8s, ["run", manifest, "--output", "json", "--state-dir", Path.Combine(cluster.Scratch, "local-kill")], RepoPaths.Root, TimeSpan.FromMinutes(30));

        await Kubectl($"apply -f '{manifest}'");
        var (total, done) = await WaitForProgressAsync(job, TimeSpan.FromMinutes(15));
        var killed = await Kubectl($"-n {Namespace} get pods -l {WorkerPods} -o name");
        cluster.Transcript.Append($"killing every worker pod at {done}/{total} shards: {killed.Replace('\n', ' ')}");
        await Kubectl($"-n {Namespace} delete pods -l {WorkerPods} --grace-period=0 --force --wait=false");

        await Kubectl($"wait cj/{job} --for=jsonpath='{{.status.phase}}'=Succeeded --timeout 30m", TimeSpan.FromMinutes(31));
        var now = (await Kubectl($"-n {Namespace} get pods -l {WorkerPods} -o name")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain(now, killed.Split('\n').Contains);

        var (exit, stdout, stderr) = await local;
        Assert.True(exit == 0, $"hpck8s run {manifest} failed ({exit}): {stderr}");
        Assert.Equal(LocalDigest(stdout), await Kubectl($"get cj {job} -o jsonpath='{{.status.result.digest}}'"));

        await VerifyLedgerAsync(job);
        await Kubectl($"delete -f '{manifest}'");
    });

    [EndToEndFact]
    [Step(3)]
    public Task Diagnose_ThenCleanUp_LeavesNoJobNoReleaseNoNamespace() => TranscribedAsync(async () =>
    {
        var diagnosis = await cluster.Shell.RunStepAsync(QuickstartSteps.Diagnose, Short);
        Assert.Contains("hpck8s-worker-", diagnosis, StringComparison.Ordinal);

        await cluster.Shell.RunStepAsync(QuickstartSteps.Cleanup, TimeSpan.FromMinutes(10));
        Assert.Equal(string.Empty, await Kubectl($"get cj -A -o name; kubectl get namespace {Namespace} --ignore-not-found -o name"));

        // Every step the page marks as run by this suite was run, verbatim or by the equivalent means it says.
        var exercised = cluster.Shell.Ran.Union(cluster.DoneEquivalently).ToHashSet(StringComparer.Ordinal);
        Assert.Empty(QuickstartSteps.All.Where(s => s.Coverage != StepCoverage.NotRun && !exercised.Contains(s.Id)).Select(s => s.Id));
    });

    private async Task TranscribedAsync(Func<Task> test)
    {
        var mark = cluster.Transcript.Mark;
        try
        {
            await test();
        }
        catch
        {
            output.WriteLine(await cluster.DescribeAsync());
            throw;
        }
        finally
        {
            output.WriteLine(cluster.Transcript.Since(mark));
        }
    }

    /// <summary>The quick start's port-forward and ledger steps, for <paramref name="job"/> instead of the page's job
    /// when given.</summary>
    private async Task VerifyLedgerAsync(string? job)
    {
        await using var forward = await cluster.Shell.StartStepAsync(QuickstartSteps.PortForward, l => l.StartsWith("Forwarding from", StringComparison.Ordinal), Short);
        if (job is null)
        {
            await cluster.Shell.RunStepAsync(QuickstartSteps.Ledger, TimeSpan.FromMinutes(5));
            return;
        }

        var page = JobName(cluster.Page.Step(QuickstartSteps.Submit).Commands.Single().Words[^1]);
        var script = cluster.Page.Step(QuickstartSteps.Ledger).Text.Replace($"cj {page} ", $"cj {job} ", StringComparison.Ordinal);
        Assert.Contains($"cj {job} ", script, StringComparison.Ordinal);
        await cluster.Shell.RunScriptAsync(script, $"the ledger step for {job}", TimeSpan.FromMinutes(5));
    }

    private async Task<(int Total, int Done)> WaitForProgressAsync(string job, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            var state = await Kubectl($"get cj {job} -o jsonpath='{{.status.phase}} {{.status.progress}}'");
            var parts = state.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts is ["Succeeded" or "Failed", ..])
            {
                throw new Xunit.Sdk.XunitException($"{job} ended ({state}) before its workers could be killed: give it more samples.");
            }

            if (parts is ["Running", var progress] && progress.Split('/') is [var d, var t]
                && int.TryParse(d, CultureInfo.InvariantCulture, out var done) && int.TryParse(t, CultureInfo.InvariantCulture, out var total)
                && done >= Math.Max(1, total / 10))
            {
                return (total, done);
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        throw new TimeoutException($"{job} did not get a tenth of its shards done within {timeout}.");
    }

    private Task<string> Kubectl(string arguments, TimeSpan? timeout = null) =>
        cluster.Shell.RunScriptAsync("kubectl " + arguments, "kubectl " + arguments, timeout ?? Short);

    private static string JobName(string manifest)
    {
        var yaml = new YamlDotNet.RepresentationModel.YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, manifest))));
        return yaml.Documents[0].RootNode["metadata"]["name"].ToString();
    }

    /// <summary>result.digest of <c>hpck8s run --output json</c>.</summary>
    private static string LocalDigest(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("result").GetProperty("digest").GetString()!;
    }
}
