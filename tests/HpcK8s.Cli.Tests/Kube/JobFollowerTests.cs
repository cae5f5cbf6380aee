using HpcK8s.Cli.Kube;
using HpcK8s.Kubernetes;

namespace HpcK8s.Cli.Tests.Kube;

/// <summary>The follow loop's timing behaviour, with its delays shortened.</summary>
public sealed class JobFollowerTests : IAsyncLifetime
{
    private KubeTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubeTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Fact]
    public async Task NoStatusForAWhile_AsksWhetherTheOperatorRuns()
    {
        await _bed.CreateJobAsync("pi");
        using var target = KubeConfigLoader.Connect(_bed.Kubeconfig, null, null);
        var follower = new JobFollower(new ComputeJobClient(target)) { StatusHintAfter = TimeSpan.FromMilliseconds(100) };
        var notes = new List<string>();
        using var stop = new CancellationTokenSource();

        var noted = false;
        var following = follower.FollowAsync("pi", _ => { }, note =>
        {
            lock (notes)
            {
                notes.Add(note);
            }

            Volatile.Write(ref noted, true);
        }, stop.Token);
        await KubeTestBed.EventuallyAsync(() => following.IsCompleted || Volatile.Read(ref noted), "a note");
        Assert.False(following.IsCompleted, $"following ended: {following.Exception}");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.Contains(": the operator has not picked the job up; is it running? (kubectl get deploy -A -l app.kubernetes.io/part-of=hpck8s)", notes.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiServerGoneForGood_RetriesWithNotes_ThenGivesUpNamingTheServer()
    {
        await _bed.CreateJobAsync("pi");
        using var target = KubeConfigLoader.Connect(_bed.Kubeconfig, null, null);
        var follower = new JobFollower(new ComputeJobClient(target))
        {
            RetryDelay = TimeSpan.FromMilliseconds(50),
            MaxRetryDelay = TimeSpan.FromMilliseconds(100),
            GiveUpAfter = TimeSpan.FromSeconds(1),
        };
        var notes = new List<string>();
        var seen = new List<V1Alpha1ComputeJob>();

        var following = follower.FollowAsync("pi", seen.Add, note =>
        {
            lock (notes)
            {
                notes.Add(note);
            }
        }, CancellationToken.None);
        await _bed.WatchingAsync();
        var url = _bed.Server.Url;
        await _bed.Server.DisposeAsync();

        var error = await Assert.ThrowsAsync<CliException>(() => following);
        Assert.Equal(ExitCodes.Unavailable, error.ExitCode);
        Assert.Contains($"cannot reach the Kubernetes API server at {url}", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(notes);
        Assert.All(notes, n => Assert.StartsWith("lost the connection to the API server", n, StringComparison.Ordinal));
        Assert.Single(seen);
    }
}
