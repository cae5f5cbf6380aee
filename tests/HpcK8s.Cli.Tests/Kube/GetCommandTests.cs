using System.Text.Json;
using HpcK8s.Cli.Kube;
using HpcK8s.KubeApiServer;

namespace HpcK8s.Cli.Tests.Kube;

public sealed class GetCommandTests : IAsyncLifetime
{
    private KubeTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubeTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Get_NoName_PrintsKubectlsTable()
    {
        await _bed.CreateJobAsync("alpha");
        await _bed.CreateJobAsync("beta-with-a-longer-name");
        await _bed.SetStatusAsync("alpha", Status.Running(2));
        await _bed.SetStatusAsync("beta-with-a-longer-name", Status.Succeeded(4, "3.14159"));

        var (exit, stdout, stderr) = await _bed.RunAsync("get");

        Assert.True(exit == 0, stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"^NAME\s{3,}KERNEL\s{3,}PHASE\s{3,}PROGRESS\s{3,}RESULT\s{3,}AGE$", lines[0]);
        Assert.Matches(@"^alpha\s{3,}pi-montecarlo\s{3,}Running\s{3,}2/4\s{3,}\d+s$", lines[1]);
        Assert.Matches(@"^beta-with-a-longer-name   pi-montecarlo   Succeeded   4/4\s{3,}3\.14159   \d+s$", lines[2]);
        // Columns line up: every row's KERNEL starts where the header's does.
        Assert.All(lines, l => Assert.Equal(lines[0].IndexOf("KERNEL", StringComparison.Ordinal), l.IndexOf("pi-montecarlo", StringComparison.Ordinal) is -1 ? lines[0].IndexOf("KERNEL", StringComparison.Ordinal) : l.IndexOf("pi-montecarlo", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Get_NoStatusYet_ShowsEmptyPhaseAndProgress()
    {
        await _bed.CreateJobAsync("fresh");

        var (_, stdout, _) = await _bed.RunAsync("get");

        Assert.Matches(@"(?m)^fresh\s{3,}pi-montecarlo\s{3,}\d+s$", stdout);
    }

    [Fact]
    public async Task Get_AllNamespaces_AddsTheNamespaceColumn()
    {
        await _bed.CreateJobAsync("here");
        await _bed.CreateJobAsync("there", ns: "team-b");

        var (exit, stdout, _) = await _bed.RunAsync("get", "-A");

        Assert.Equal(0, exit);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.StartsWith("NAMESPACE   NAME ", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^jobs\s+here\s", lines[1]);
        Assert.Matches(@"^team-b\s+there\s", lines[2]);
    }

    [Fact]
    public async Task Get_NamespaceComesFromTheContext_OrTheFlag()
    {
        await _bed.CreateJobAsync("in-jobs");
        await _bed.CreateJobAsync("in-default", ns: "default");

        var fromContext = await _bed.RunAsync("get");
        var bare = await _bed.RunAsync("get", "--context", "bare");
        var flag = await _bed.RunAsync("get", "--namespace", "default");

        Assert.Contains("in-jobs", fromContext.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("in-default", fromContext.Out, StringComparison.Ordinal);
        Assert.Contains("in-default", bare.Out, StringComparison.Ordinal);
        Assert.Contains("in-default", flag.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("in-jobs", flag.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Empty_SaysSoOnStandardError()
    {
        var (exit, stdout, stderr) = await _bed.RunAsync("get");

        Assert.Equal(0, exit);
        Assert.Equal("", stdout);
        Assert.Equal("No resources found in jobs namespace.", stderr.Trim());
    }

    [Fact]
    public async Task Get_Name_ShowsPhaseBarShardsResultLedgerConditionsAndTimes()
    {
        await _bed.CreateJobAsync("pi");
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14159"));

        var (exit, stdout, stderr) = await _bed.RunAsync("get", "pi");

        Assert.True(exit == 0, stderr);
        Assert.Contains("Name:          pi", stdout, StringComparison.Ordinal);
        Assert.Contains("Namespace:     jobs", stdout, StringComparison.Ordinal);
        Assert.Contains("Kernel:        pi-montecarlo", stdout, StringComparison.Ordinal);
        Assert.Contains("Phase:         Succeeded", stdout, StringComparison.Ordinal);
        Assert.Contains("Progress:      [██████████████████████████████]  4/4 (100%)", stdout, StringComparison.Ordinal);
        Assert.Contains("Shard counts:  4 succeeded, 0 running, 0 failed, 4 total", stdout, StringComparison.Ordinal);
        Assert.Contains("Result:        3.14159", stdout, StringComparison.Ordinal);
        Assert.Contains($"Digest:        {Status.Digest}", stdout, StringComparison.Ordinal);
        Assert.Contains("Ledger:        pi-7f3a, height 5, 3 replica(s) hold the head, verified", stdout, StringComparison.Ordinal);
        Assert.Contains($"Ledger head:   {Status.Head}", stdout, StringComparison.Ordinal);
        Assert.Contains("Started:       2025-03-14T15:09:26Z (", stdout, StringComparison.Ordinal);
        Assert.Contains("Completed:     2025-03-14T15:11:31Z (", stdout, StringComparison.Ordinal);
        Assert.Contains("Duration:      2m5s", stdout, StringComparison.Ordinal);
        Assert.Contains("Workflow:      pi-7f3a", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^  TYPE\s+STATUS\s+REASON\s+LAST TRANSITION\s+MESSAGE$", stdout);
        Assert.Matches(@"(?m)^  Complete\s+True\s+Completed\s+2025-03-14T15:09:26Z \(.+ ago\)\s+every shard produced a result$", stdout);
    }

    [Fact]
    public async Task Get_Name_Running_ShowsAPartialBarAndDurationSoFar()
    {
        await _bed.CreateJobAsync("pi", shards: 64);
        await _bed.SetStatusAsync("pi", Status.Running(40, total: 64, running: 8));

        var (_, stdout, _) = await _bed.RunAsync("get", "pi");

        Assert.True(stdout.Contains("Progress:      [███████████████████░░░░░░░░░░░]  40/64 (62%)", StringComparison.Ordinal), stdout);
        Assert.Contains("Shard counts:  40 succeeded, 8 running, 0 failed, 64 total", stdout, StringComparison.Ordinal);
        Assert.Matches(@"(?m)^Duration:\s+\S+ so far$", stdout);
        Assert.DoesNotContain("Result:", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Name_WithoutStatus_SaysTheOperatorHasNotSeenIt()
    {
        await _bed.CreateJobAsync("pi");

        var (_, stdout, _) = await _bed.RunAsync("get", "pi");

        Assert.Contains("Phase:         (no status yet: the operator has not picked the job up", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Name_OutputJson_IsTheObjectAsStored()
    {
        await _bed.CreateJobAsync("pi");
        await _bed.SetStatusAsync("pi", Status.Running(2));

        var (exit, stdout, _) = await _bed.RunAsync("get", "pi", "-o", "json");

        Assert.Equal(0, exit);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("ComputeJob", root.GetProperty("kind").GetString());
        Assert.Equal("pi", root.GetProperty("metadata").GetProperty("name").GetString());
        Assert.Equal("Running", root.GetProperty("status").GetProperty("phase").GetString());
        Assert.Equal("pi-7f3a", root.GetProperty("status").GetProperty("workflowInstanceId").GetString());
    }

    [Fact]
    public async Task Get_OutputYaml_AndName()
    {
        await _bed.CreateJobAsync("pi");

        var yaml = await _bed.RunAsync("get", "pi", "-o", "yaml");
        var list = await _bed.RunAsync("get", "-o", "yaml");
        var names = await _bed.RunAsync("get", "-o", "name");

        Assert.Contains("kind: ComputeJob\n", yaml.Out, StringComparison.Ordinal);
        Assert.Contains("  name: pi\n", yaml.Out, StringComparison.Ordinal);
        Assert.Contains("    samples: \"1000\"\n", yaml.Out, StringComparison.Ordinal);
        Assert.Contains("kind: ComputeJobList\n", list.Out, StringComparison.Ordinal);
        Assert.Equal("computejob.hpck8s.io/pi", names.Out.Trim());
    }

    [Fact]
    public async Task Get_List_OutputJson_IsTheList()
    {
        await _bed.CreateJobAsync("a");
        await _bed.CreateJobAsync("b");

        var (_, stdout, _) = await _bed.RunAsync("get", "-o", "json");

        var items = JsonDocument.Parse(stdout).RootElement.GetProperty("items");
        Assert.Equal(["a", "b"], items.EnumerateArray().Select(i => i.GetProperty("metadata").GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Get_StatusOfAnUnexpectedType_OneLineError_AndTheRawObjectStillPrints()
    {
        await _bed.CreateJobAsync("odd");
        await _bed.SetStatusAsync("odd", new { phase = "Running", startTime = "yesterday" });

        var detail = await _bed.RunAsync("get", "odd");
        var raw = await _bed.RunAsync("get", "odd", "-o", "json");

        Assert.Equal(1, detail.Exit);
        Assert.StartsWith("get: computejob odd: cannot read it", detail.Err, StringComparison.Ordinal);
        Assert.Contains("yesterday", detail.Err, StringComparison.Ordinal);
        Assert.Single(detail.Err.TrimEnd().Split('\n'));
        Assert.Equal(0, raw.Exit);
        Assert.Contains("\"startTime\": \"yesterday\"", raw.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_UnknownName_SaysNotFoundWhere()
    {
        var (exit, stdout, stderr) = await _bed.RunAsync("get", "nope");

        Assert.Equal(1, exit);
        Assert.Equal("", stdout);
        Assert.Equal("get: computejobs.hpck8s.io \"nope\" not found in namespace \"jobs\"; hpck8s get -n jobs lists the jobs there", stderr.Trim());
    }

    [Fact]
    public async Task Get_NameWithAllNamespaces_IsAUsageError()
    {
        var (exit, _, stderr) = await _bed.RunAsync("get", "pi", "-A");

        Assert.Equal(2, exit);
        Assert.Contains("across all namespaces", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_CrdNotInstalled_SaysToInstallTheChart()
    {
        var options = new FakeKubeApiServerOptions();
        options.Resources.Remove(ApiResource.ComputeJobs);
        await using var bare = await KubeTestBed.StartAsync(options);

        var list = await bare.RunAsync("get");
        var one = await bare.RunAsync("get", "pi");
        var submit = await bare.RunAsync("submit", KubeTestBed.Example("pi-bbp.yaml"));
        var watch = await bare.RunAsync("watch", "pi");

        Assert.All(new[] { list, one, submit, watch }, r =>
        {
            Assert.Equal(3, r.Exit);
            Assert.Contains("has no resource type computejobs.hpck8s.io: the HpcK8s CRD is not installed; install the chart (helm install hpck8s charts/hpck8s)", r.Err, StringComparison.Ordinal);
        });
    }
}
