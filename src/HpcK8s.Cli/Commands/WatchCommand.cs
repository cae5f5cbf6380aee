using System.CommandLine;
using HpcK8s.Cli.Kube;

namespace HpcK8s.Cli.Commands;

/// <summary><c>hpck8s watch NAME</c>: follows a ComputeJob on the cluster until it succeeds or fails.</summary>
internal static class WatchCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The job's metadata.name" };
        var timeout = GuardedCommand.TimeoutOption();
        var command = new Command("watch", "Follow a ComputeJob until it finishes: a live progress bar on a terminal, one line per change otherwise; exit 0 if it succeeded, 1 if it failed")
        {
            name, timeout,
        };
        var kube = KubeOptions.AddTo(command);
        command.SetAction((parse, cancellationToken) => GuardedCommand.RunAsync(parse, "watch", async (stdout, stderr) =>
        {
            using var target = kube.Connect(parse);
            var follower = new JobFollower(new ComputeJobClient(target));
            return await JobWatch.RunAsync(follower, parse.GetValue(name)!, stdout, stderr, GuardedCommand.IsInteractive(parse), GuardedCommand.Timeout(parse, timeout), cancellationToken)
                .ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }
}
