using System.Text.Json;
using HpcK8s.Core.Kernels;
using HpcK8s.Testing;

namespace HpcK8s.Cli.Tests;

/// <summary><c>hpck8s ledger verify|export|show --ledger dapr</c>: a ledger written by <c>run --ledger dapr</c> into
/// replicated LedgerActors, read back through the (fake) sidecar over real HTTP, read-only.</summary>
public sealed class ClusterLedgerTests : IAsyncLifetime
{
    private readonly CliHarness _cli = new();
    private readonly KernelRegistry _kernels = new([new ScriptedKernel()]);
    private LedgerActorHost _host = null!;

    public async Task InitializeAsync() => _host = await LedgerActorHost.StartAsync();

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _cli.Dispose();
    }

    [Fact]
    public async Task Verify_LedgerWrittenByRun_EveryReplicaInSync_AndEndsAtTheExpectedHead()
    {
        var head = await RunAsync("squares");

        var (exit, stdout, stderr) = await LedgerAsync("verify", "squares", "--expect-head", head);

        Assert.True(exit == 0, stderr);
        Assert.Equal("", stderr);
        var lines = stdout.TrimEnd().Split('\n');
        Assert.Equal(5, lines.Length);
        Assert.All(lines[..3], (l, i) => Assert.Matches($@"^replica {i}: height 2, head {head}, in sync$", l));
        Assert.Matches($@"^squares: ok: 3 blocks, 6 entries, head {head}$", lines[3]);
        Assert.Equal("squares: head matches --expect-head", lines[4]);
    }

    [Fact]
    public async Task Verify_OtherExpectedHead_Fails()
    {
        await RunAsync("squares");
        const string Other = "sha256:2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";

        var (exit, _, stderr) = await LedgerAsync("verify", "squares", "--expect-head", Other);

        Assert.Equal(1, exit);
        Assert.Contains("squares: FAILED:", stderr, StringComparison.Ordinal);
        Assert.Contains(Other, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_MalformedExpectedHead_IsBadInput()
    {
        var (exit, _, stderr) = await LedgerAsync("verify", "squares", "--expect-head", "abc");

        Assert.Equal(2, exit);
        Assert.Contains("--expect-head must be sha256: followed by 64 hex digits", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_OneReplicaTampered_MajorityIsVerified_ReplicaNamed_NothingWritten()
    {
        var head = await RunAsync("squares");
        await _host.TamperAsync("squares", 1, height: 1);
        var writes = _host.Daprd.State.Transactions.Count;

        var (exit, stdout, stderr) = await LedgerAsync("verify", "squares");

        Assert.True(exit == 0, stderr);
        Assert.Contains($"squares: ok: 3 blocks, 6 entries, head {head}", stdout, StringComparison.Ordinal);
        Assert.Contains("replica 1: damaged: block 1:", stdout, StringComparison.Ordinal);
        Assert.Contains("warning: squares replica 1: damaged: block 1:", stderr, StringComparison.Ordinal);
        Assert.Equal(writes, _host.Daprd.State.Transactions.Count);
    }

    [Fact]
    public async Task Verify_TwoReplicasLost_NoMajority_UnlessTheExpectedHeadPicksTheSurvivor()
    {
        var head = await RunAsync("squares");
        await _host.WipeAsync("squares", 0);
        await _host.WipeAsync("squares", 2);

        var (noMajority, _, why) = await LedgerAsync("verify", "squares");
        var (anchored, stdout, warnings) = await LedgerAsync("verify", "squares", "--expect-head", head);

        Assert.Equal(1, noMajority);
        Assert.Contains("no majority (2 of 3) of replicas holds the same valid chain", why, StringComparison.Ordinal);
        Assert.Contains("pass --expect-head", why, StringComparison.Ordinal);
        Assert.Equal(0, anchored);
        Assert.Contains("replica 0: holds no blocks", stdout, StringComparison.Ordinal);
        Assert.Contains("squares: head matches --expect-head", stdout, StringComparison.Ordinal);
        Assert.Contains("only 1 of 3 replicas hold this chain", warnings, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExportAndShow_ReadTheReplicas_AndTheExportVerifiesOnItsOwn()
    {
        var head = await RunAsync("squares");

        var (exportExit, exported, _) = await LedgerAsync("export", "squares");
        var (showExit, shown, _) = await LedgerAsync("show", "squares", "--expect-head", head);
        var file = _cli.Write("squares.json", exported);
        var (fileExit, fromFile, _) = await _cli.RunAsync(_kernels, "ledger", "verify", "--file", file, "--expect-head", head);

        Assert.Equal(0, exportExit);
        Assert.Equal("squares", JsonDocument.Parse(exported).RootElement.GetProperty("ledgerId").GetString());
        Assert.Equal(0, showExit);
        Assert.StartsWith($"ledger squares: 3 block(s), head {head}", shown, StringComparison.Ordinal);
        Assert.Contains("JobCompleted", shown, StringComparison.Ordinal);
        Assert.Equal(0, fileExit);
        Assert.Contains("head matches --expect-head", fromFile, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Proof_FromTheReplicas_ChecksAgainstTheHead()
    {
        var head = await RunAsync("squares");

        var (exit, proof, _) = await LedgerAsync("proof", "squares", "--shard", "2");

        Assert.Equal(0, exit);
        Assert.True(Core.Ledger.LedgerJson.ReadShardProof(proof).Verify(Core.Ledger.Hash256.Parse(head), out var reason), reason);
    }

    [Fact]
    public async Task Show_ExpectedHeadNotReached_Fails()
    {
        await RunAsync("squares");

        var (exit, _, stderr) = await LedgerAsync("show", "squares", "--expect-head", "sha256:" + new string('0', 64));

        Assert.Equal(1, exit);
        Assert.Contains("not at --expect-head sha256:0000", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_UnknownLedger_SaysNoReplicaHoldsIt()
    {
        var (exit, _, stderr) = await LedgerAsync("verify", "never-ran");

        Assert.Equal(1, exit);
        Assert.Contains("ledger never-ran: no replica that answered holds a block", stderr, StringComparison.Ordinal);
        Assert.Contains("check the id (status.ledger.id of the job) and --replicas", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_NoSidecar_Exit3_SaysHowToReachOne()
    {
        var (exit, _, stderr) = await _cli.RunAsync(_kernels, "ledger", "verify", "squares", "--ledger", "dapr", "--dapr-http-endpoint", "http://127.0.0.1:9");

        Assert.Equal(3, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains("no replica of ledger squares answered through the Dapr sidecar at http://127.0.0.1:9", stderr, StringComparison.Ordinal);
        Assert.Contains("kubectl port-forward deploy/<release>-worker 3500:3500", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_FileWithDapr_IsAUsageError()
    {
        var (exit, _, stderr) = await LedgerAsync("verify", "--file", "x.json");

        Assert.Equal(2, exit);
        Assert.Contains("does not go with --ledger dapr", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_Sqlite_ExpectHeadAnchorsToo()
    {
        var file = _cli.Write("job.yaml", CliHarness.Job("local", "", shards: 3));
        var (_, json, _) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir);
        var head = JsonDocument.Parse(json).RootElement.GetProperty("ledger").GetProperty("head").GetString()!;

        var good = await _cli.RunAsync(_kernels, "ledger", "verify", "local", "--state-dir", _cli.StateDir, "--expect-head", head);
        var bad = await _cli.RunAsync(_kernels, "ledger", "verify", "local", "--state-dir", _cli.StateDir, "--expect-head", "sha256:" + new string('1', 64));

        Assert.Equal(0, good.Exit);
        Assert.Contains("local: head matches --expect-head", good.Out, StringComparison.Ordinal);
        Assert.Equal(1, bad.Exit);
    }

    // Runs a 4-shard job with its ledger in the actors (3 replicas): JobAccepted, 4 × ShardCompleted and JobCompleted
    // in 3 blocks.
    private async Task<string> RunAsync(string name)
    {
        var file = _cli.Write($"{name}.yaml", CliHarness.Job(name, "", shards: 4));
        var (exit, stdout, stderr) = await _cli.RunAsync(_kernels, "run", file, "--output", "json", "--state-dir", _cli.StateDir,
            "--ledger", "dapr", "--dapr-http-endpoint", _host.SidecarUrl, "--workers", "1");
        Assert.True(exit == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement.GetProperty("ledger").GetProperty("head").GetString()!;
    }

    private Task<(int Exit, string Out, string Err)> LedgerAsync(string verb, params string[] args) =>
        _cli.RunAsync(_kernels, ["ledger", verb, .. args, "--ledger", "dapr", "--dapr-http-endpoint", _host.SidecarUrl]);
}
