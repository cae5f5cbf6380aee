using HpcK8s.Kubernetes;
using Spectre.Console;

namespace HpcK8s.Cli.Kube;

/// <summary>Follows a job to its end for <c>hpck8s watch</c> and <c>hpck8s submit --watch</c>: a live bar on a terminal,
/// one line per change otherwise; then the result on standard output and an exit code that says how it ended.</summary>
internal static class JobWatch
{
    /// <summary>Follows <paramref name="name"/> and returns the exit code: 0 Succeeded, 1 Failed (reason printed) or
    /// deleted, 124 <paramref name="timeout"/> passed, 130 interrupted.</summary>
    /// <exception cref="CliException">No such job, no CRD, or the API server stayed unreachable.</exception>
    public static async Task<int> RunAsync(JobFollower follower, string name, TextWriter output, TextWriter error, bool interactive, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(follower);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            limit.CancelAfter(t);
        }

        V1Alpha1ComputeJob? last = null;
        FollowResult result;
        try
        {
            result = interactive
                ? await FollowWithBarAsync(follower, name, job => last = job, limit.Token).ConfigureAwait(false)
                : await follower.FollowAsync(name, job =>
                {
                    last = job;
                    output.WriteLine(JobText.Change(job));
                }, note => error.WriteLine($"{name}: {note}"), limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{name}: stopped watching; the job goes on in the cluster (hpck8s watch {name} follows it again)");
            return ExitCodes.Interrupted;
        }
        catch (OperationCanceledException) when (limit.IsCancellationRequested)
        {
            var state = last is null ? "not seen yet" : $"still {Describe(last)}";
            error.WriteLine($"{name}: {state} after --timeout {Shown(timeout!.Value)}; the job goes on in the cluster (hpck8s watch {name} follows it again)");
            return ExitCodes.TimedOut;
        }

        var now = DateTimeOffset.UtcNow;
        switch (result.End)
        {
            case FollowEnd.Deleted:
                error.WriteLine($"{name}: the job was deleted before it finished (last seen {Describe(result.Job)})");
                return ExitCodes.Failed;
            case FollowEnd.Replaced:
                error.WriteLine($"{name}: the job was deleted and a new one of the same name created (last seen {Describe(result.Job)}); hpck8s watch {name} follows the new one");
                return ExitCodes.Failed;
        }

        foreach (var line in JobText.Summary(result.Job, now))
        {
            output.WriteLine(line);
        }

        if (JobState.Succeeded(result.Job))
        {
            return ExitCodes.Success;
        }

        var (reason, message) = JobState.Failure(result.Job);
        error.WriteLine($"{name}: failed: {reason}: {message}");
        return ExitCodes.Failed;
    }

    private static string Shown(TimeSpan timeout) =>
        timeout < TimeSpan.FromSeconds(1) ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds:0}ms") : JobText.HumanDuration(timeout);

    private static string Describe(V1Alpha1ComputeJob job)
    {
        var (done, total) = JobState.Progress(job);
        var phase = JobState.Phase(job);
        return phase.Length == 0 ? "with no status from the operator" : $"{phase}, {done}/{total} shards";
    }

    private static async Task<FollowResult> FollowWithBarAsync(JobFollower follower, string name, Action<V1Alpha1ComputeJob> seen, CancellationToken cancellationToken)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        FollowResult? result = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Markup.Escape(name), maxValue: 1);
                task.IsIndeterminate = true;
                result = await follower.FollowAsync(name, job =>
                {
                    seen(job);
                    var (done, total) = JobState.Progress(job);
                    task.IsIndeterminate = job.Status is null;
                    task.MaxValue = Math.Max(1, total);
                    task.Value = done;
                    task.Description = Markup.Escape(job.Status is null ? $"{name} waiting for the operator" : $"{name} {Describe(job)}");
                }, note => task.Description = Markup.Escape($"{name} {note}"), cancellationToken).ConfigureAwait(false);
                if (result.End == FollowEnd.Finished)
                {
                    task.Value = JobState.Succeeded(result.Job) ? task.MaxValue : task.Value;
                }

                task.StopTask();
            }).ConfigureAwait(false);
        return result!;
    }
}
