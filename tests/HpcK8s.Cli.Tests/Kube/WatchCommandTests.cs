namespace HpcK8s.Cli.Tests.Kube;

/// <summary><c>hpck8s watch</c> against the fake API server, the test playing the operator through the status
/// subresource.</summary>
public sealed class WatchCommandTests : IAsyncLifetime
{
    private KubeTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubeTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task Watch_FollowsProgressToSucceeded_PrintsOneLinePerChangeAndTheResult()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await watch.WaitForOutputAsync("pi: created; waiting for the operator");
        await _bed.WatchingAsync();

        await _bed.SetStatusAsync("pi", Status.Pending());
        await watch.WaitForOutputAsync("pi: Pending 0/4 shards");
        await _bed.SetStatusAsync("pi", Status.Running(0));
        await watch.WaitForOutputAsync("pi: Running 0/4 shards (2 running, 0 failed)");
        await _bed.SetStatusAsync("pi", Status.Running(2));
        await watch.WaitForOutputAsync("pi: Running 2/4 shards (2 running, 0 failed)");
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14159"));

        Assert.Equal(0, await watch.ExitCodeAsync());
        var lines = watch.Out.Text.TrimEnd().Split('\n');
        Assert.Equal(
            [
                "pi: created; waiting for the operator to pick it up",
                "pi: Pending 0/4 shards - Accepted: the spec is valid",
                "pi: Running 0/4 shards (2 running, 0 failed)",
                "pi: Running 2/4 shards (2 running, 0 failed)",
                "pi: Succeeded 4/4 shards - Completed: every shard produced a result",
                "pi  pi-montecarlo  Succeeded  4/4 shards  2m5s",
                "  result  3.14159",
                $"  digest  {Status.Digest}",
                $"  ledger  pi-7f3a  height 5, head {Status.Head}",
            ],
            lines);
        Assert.Equal("", watch.Err.Text);
    }

    [Fact]
    public async Task Watch_AlreadyFinished_PrintsTheResultAtOnce()
    {
        await _bed.CreateJobAsync("pi");
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14159"));

        var (exit, stdout, _) = await _bed.RunAsync("watch", "pi");

        Assert.Equal(0, exit);
        Assert.Contains("  result  3.14159", stdout, StringComparison.Ordinal);
        Assert.Equal(0, _bed.Server.WatchCount);
    }

    [Fact]
    public async Task Watch_Failed_Exit1WithTheReasonAndMessage()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();

        await _bed.SetStatusAsync("pi", Status.Running(2));
        await _bed.SetStatusAsync("pi", Status.Failed("ShardRetriesExhausted", "shard 2 failed after 3 attempt(s): out of memory"));

        Assert.Equal(1, await watch.ExitCodeAsync());
        Assert.Contains("pi  pi-montecarlo  Failed  2/4 shards", watch.Out.Text, StringComparison.Ordinal);
        Assert.Equal("pi: failed: ShardRetriesExhausted: shard 2 failed after 3 attempt(s): out of memory", watch.Err.Text.Trim());
    }

    [Fact]
    public async Task Watch_RefusedSpec_EndsAsFailedEvenWithoutAFailedPhase()
    {
        await _bed.CreateJobAsync("pi");
        await _bed.SetStatusAsync("pi", new
        {
            phase = "Pending",
            conditions = new[] { Status.Condition("Ready", "False", "InvalidSpec", "spec.parameters.samples: must be at least spec.shards") },
        });

        var (exit, _, stderr) = await _bed.RunAsync("watch", "pi");

        Assert.Equal(1, exit);
        Assert.Equal("pi: failed: InvalidSpec: spec.parameters.samples: must be at least spec.shards", stderr.Trim());
    }

    [Fact]
    public async Task Watch_SurvivesWatchesThatEndOrAreCut()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();
        var requestsBefore = WatchRequests();

        _bed.Server.DropWatches();
        await _bed.SetStatusAsync("pi", Status.Running(1));
        await watch.WaitForOutputAsync("pi: Running 1/4");
        await _bed.WatchingAsync();
        _bed.Server.DropWatches(abortConnections: true);
        await _bed.SetStatusAsync("pi", Status.Running(3));
        await watch.WaitForOutputAsync("pi: Running 3/4");
        await _bed.WatchingAsync();
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14159"));

        Assert.Equal(0, await watch.ExitCodeAsync());
        Assert.True(WatchRequests() >= requestsBefore + 2, $"expected the CLI to watch again twice; watch requests: {WatchRequests()}");
        // A change made while no watch was open is not lost: the new watch starts from the last resourceVersion.
        Assert.Contains("pi: Running 1/4 shards", watch.Out.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_AfterCompaction_Relists_On410AndCarriesOn()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();
        var getsBefore = ObjectGets();

        // Cut the stream, then move on and compact before the CLI reconnects (it waits 500 ms after a broken
        // connection): its resourceVersion is then older than the server's history and the watch answers 410.
        _bed.Server.DropWatches(abortConnections: true);
        await _bed.SetStatusAsync("pi", Status.Running(2));
        _bed.Server.Compact();

        await watch.WaitForOutputAsync("pi: Running 2/4");
        await _bed.WatchingAsync();
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14159"));

        Assert.Equal(0, await watch.ExitCodeAsync());
        Assert.Equal(getsBefore + 1, ObjectGets());
    }

    [Fact]
    public async Task Watch_JobDeleted_SaysSoAndFails()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();
        await _bed.SetStatusAsync("pi", Status.Running(2));
        await watch.WaitForOutputAsync("Running 2/4");

        await _bed.DeleteJobAsync("pi");

        Assert.Equal(1, await watch.ExitCodeAsync());
        Assert.Equal("pi: the job was deleted before it finished (last seen Running, 2/4 shards)", watch.Err.Text.Trim());
    }

    [Fact]
    public async Task Watch_JobDeletedWhileDisconnected_IsNoticedOnRelist()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();

        _bed.Server.DropWatches(abortConnections: true);
        await _bed.DeleteJobAsync("pi");
        _bed.Server.Compact();

        Assert.Equal(1, await watch.ExitCodeAsync());
        Assert.Contains("pi: the job was deleted before it finished", watch.Err.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_JobReplacedByANewOneOfTheSameName_Stops()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();

        _bed.Server.DropWatches(abortConnections: true);
        await _bed.DeleteJobAsync("pi");
        await _bed.CreateJobAsync("pi");
        _bed.Server.Compact();

        Assert.Equal(1, await watch.ExitCodeAsync());
        Assert.Contains("pi: the job was deleted and a new one of the same name created", watch.Err.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_NoSuchJob_Exit1()
    {
        var (exit, _, stderr) = await _bed.RunAsync("watch", "nope");

        Assert.Equal(1, exit);
        Assert.Equal("watch: computejobs.hpck8s.io \"nope\" not found in namespace \"jobs\"; hpck8s get -n jobs lists the jobs there", stderr.Trim());
    }

    [Fact]
    public async Task Watch_Timeout_Exit124SayingWhereTheJobWas()
    {
        await _bed.CreateJobAsync("pi");
        await _bed.SetStatusAsync("pi", Status.Running(2));

        var (exit, _, stderr) = await _bed.RunAsync("watch", "pi", "--timeout", "300ms");

        Assert.Equal(124, exit);
        Assert.Contains("pi: still Running, 2/4 shards after --timeout 300ms; the job goes on in the cluster", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_BadTimeout_IsAUsageError()
    {
        var (exit, _, stderr) = await _bed.RunAsync("watch", "pi", "--timeout", "soon");

        Assert.Equal(2, exit);
        Assert.Contains("--timeout must be a duration such as 500ms, 2s, 1m30s or 1h", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Watch_Interrupted_Exit130AndTheJobGoesOn()
    {
        await _bed.CreateJobAsync("pi");
        var watch = _bed.Start("watch", "pi");
        await _bed.WatchingAsync();

        watch.Interrupt();

        Assert.Equal(130, await watch.ExitCodeAsync());
        Assert.Contains("pi: stopped watching; the job goes on in the cluster (hpck8s watch pi follows it again)", watch.Err.Text, StringComparison.Ordinal);
        Assert.NotNull(_bed.Stored("pi"));
    }

    [Fact]
    public async Task Watch_OtherNamespace_WithFlag()
    {
        await _bed.CreateJobAsync("pi", ns: "science");
        await _bed.SetStatusAsync("pi", Status.Succeeded(4, "3.14"), ns: "science");

        var (exit, stdout, _) = await _bed.RunAsync("watch", "pi", "-n", "science");

        Assert.Equal(0, exit);
        Assert.Contains("result  3.14", stdout, StringComparison.Ordinal);
    }

    private int WatchRequests() => _bed.Server.Requests.Count(r => r.Method == "GET" && r.Query.Contains("watch=true", StringComparison.Ordinal));

    private int ObjectGets() => _bed.Server.Requests.Count(r => r.Method == "GET" && r.Path.EndsWith("/computejobs/pi", StringComparison.Ordinal));
}
