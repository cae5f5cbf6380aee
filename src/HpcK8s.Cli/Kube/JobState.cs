using HpcK8s.Core.Model;
using HpcK8s.Kubernetes;

namespace HpcK8s.Cli.Kube;

/// <summary>What the cluster commands read from a ComputeJob's status (written by the operator), in one place.</summary>
internal static class JobState
{
    /// <summary><c>status.phase</c>, or empty while the operator has not written a status.</summary>
    public static string Phase(V1Alpha1ComputeJob job) => job.Status is { Phase: { Length: > 0 } phase } ? phase : "";

    /// <summary>Succeeded and total shards: <c>status.shards</c>, else parsed from <c>status.progress</c>, else 0 of
    /// <c>spec.shards</c>.</summary>
    public static (int Succeeded, int Total) Progress(V1Alpha1ComputeJob job)
    {
        if (job.Status?.Shards is { Total: > 0 } shards)
        {
            return (shards.Succeeded, shards.Total);
        }

        if (job.Status?.Progress is { } text && text.Split('/') is [var done, var total]
            && int.TryParse(done, System.Globalization.CultureInfo.InvariantCulture, out var d)
            && int.TryParse(total, System.Globalization.CultureInfo.InvariantCulture, out var t))
        {
            return (d, t);
        }

        return (0, job.Spec.Shards);
    }

    /// <summary><c>status.progress</c> as the operator wrote it, else <c>succeeded/total</c>.</summary>
    public static string ProgressText(V1Alpha1ComputeJob job)
    {
        if (job.Status?.Progress is { Length: > 0 } progress)
        {
            return progress;
        }

        var (done, total) = Progress(job);
        return job.Status is null ? "" : $"{done}/{total}";
    }

    /// <summary>Whether the job will not change any more: Succeeded or Failed, or refused by the operator
    /// (<c>Ready=False</c>, <c>InvalidSpec</c>), which never starts.</summary>
    public static bool IsFinished(V1Alpha1ComputeJob job) =>
        JobPhase.IsTerminal(Phase(job)) || Condition(job, ComputeJobConditions.Ready) is { Status: "False", Reason: ComputeJobConditions.InvalidSpec };

    /// <summary>Whether the job finished with a result.</summary>
    public static bool Succeeded(V1Alpha1ComputeJob job) => Phase(job) == JobPhase.Succeeded;

    /// <summary>Why a job failed: the <c>Failed</c> condition, else a <c>Ready=False</c> one, else the phase alone.</summary>
    public static (string Reason, string Message) Failure(V1Alpha1ComputeJob job)
    {
        var condition = Condition(job, ComputeJobConditions.Failed) is { Status: "True" } failed
            ? failed
            : Condition(job, ComputeJobConditions.Ready) is { Status: "False" } refused ? refused : null;
        return condition is null
            ? ("Failed", "the operator gave no reason (no Failed condition in status)")
            : (condition.Reason.Length > 0 ? condition.Reason : condition.Type, condition.Message);
    }

    /// <summary>The condition of <paramref name="type"/>, if the status has one.</summary>
    public static JobCondition? Condition(V1Alpha1ComputeJob job, string type) => job.Status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>How long the job ran: completion − start, or now − start while it runs; null before it started.</summary>
    public static TimeSpan? Duration(V1Alpha1ComputeJob job, DateTimeOffset now) => job.Status?.StartTime is { } start
        ? (job.Status.CompletionTime ?? now) - start
        : null;
}
