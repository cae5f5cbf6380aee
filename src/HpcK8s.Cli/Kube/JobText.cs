using System.Globalization;
using System.Text;
using HpcK8s.Kubernetes;

namespace HpcK8s.Cli.Kube;

/// <summary>How the cluster commands print ComputeJobs: kubectl's table layout and ages, a detail view, one-line
/// changes and a result summary.</summary>
internal static class JobText
{
    private const int BarWidth = 30;
    private const int KeyWidth = 15;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;
    private static readonly string[] ConditionHeader = ["TYPE", "STATUS", "REASON", "LAST TRANSITION", "MESSAGE"];

    /// <summary>A duration as kubectl prints ages: <c>45s</c>, <c>5m30s</c>, <c>3h20m</c>, <c>4d5h</c>, <c>2y34d</c>.</summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1)
        {
            return "<invalid>";
        }

        if (seconds < 0)
        {
            return "0s";
        }

        if (seconds < 120)
        {
            return string.Create(Inv, $"{seconds}s");
        }

        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? string.Create(Inv, $"{minutes}m") : string.Create(Inv, $"{minutes}m{seconds % 60}s");
        }

        if (minutes < 180)
        {
            return string.Create(Inv, $"{minutes}m");
        }

        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? string.Create(Inv, $"{hours}h") : string.Create(Inv, $"{hours}h{minutes % 60}m");
        }

        if (hours < 48)
        {
            return string.Create(Inv, $"{hours}h");
        }

        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? string.Create(Inv, $"{hours / 24}d") : string.Create(Inv, $"{hours / 24}d{hours % 24}h");
        }

        if (hours < 24 * 365 * 2)
        {
            return string.Create(Inv, $"{hours / 24}d");
        }

        var days = hours / 24;
        return hours < 24 * 365 * 8 && days % 365 != 0 ? string.Create(Inv, $"{days / 365}y{days % 365}d") : string.Create(Inv, $"{days / 365}y");
    }

    /// <summary>Rows padded into columns three spaces apart, as kubectl prints tables.</summary>
    public static IEnumerable<string> Columns(IReadOnlyList<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var widths = new int[rows.Count == 0 ? 0 : rows.Max(r => r.Length)];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        foreach (var row in rows)
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 3));
            }

            yield return line.ToString().TrimEnd();
        }
    }

    /// <summary><c>hpck8s get</c> without a name: NAME KERNEL PHASE PROGRESS RESULT AGE, NAMESPACE first with <c>-A</c>.</summary>
    public static IEnumerable<string> Table(IEnumerable<V1Alpha1ComputeJob> jobs, bool withNamespace, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        string[] header = ["NAME", "KERNEL", "PHASE", "PROGRESS", "RESULT", "AGE"];
        var rows = new List<string[]> { withNamespace ? ["NAMESPACE", .. header] : header };
        foreach (var job in jobs)
        {
            string[] row =
            [
                job.Metadata.Name, job.Spec.Kernel.DisplayName, JobState.Phase(job), JobState.ProgressText(job),
                job.Status?.Result?.Value ?? "", Age(job.Metadata.CreationTimestamp, now),
            ];
            rows.Add(withNamespace ? [job.Metadata.NamespaceProperty ?? "", .. row] : row);
        }

        return Columns(rows);
    }

    /// <summary>A text progress bar: <c>[██████░░░░░░]  40/64 (62%)</c>.</summary>
    public static string Bar(int done, int total)
    {
        var fraction = total <= 0 ? 0 : Math.Clamp((double)done / total, 0, 1);
        var filled = (int)Math.Round(fraction * BarWidth);
        // Percent rounded down: 100% only when every shard is done.
        return string.Create(Inv, $"[{new string('█', filled)}{new string('░', BarWidth - filled)}]  {done}/{total} ({Math.Floor(fraction * 100):0}%)");
    }

    /// <summary><c>hpck8s get NAME</c>: everything about one job, as <c>kubectl describe</c> would lay it out.</summary>
    public static IEnumerable<string> Detail(V1Alpha1ComputeJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var lines = new List<(string Key, string Value)>
        {
            ("Name", job.Metadata.Name),
            ("Namespace", job.Metadata.NamespaceProperty ?? ""),
            ("Kernel", job.Spec.Kernel.DisplayName),
            ("Shards", job.Spec.Parallelism is { } p ? string.Create(Inv, $"{job.Spec.Shards} (at most {p} at once)") : string.Create(Inv, $"{job.Spec.Shards}")),
            ("Created", job.Metadata.CreationTimestamp is { } created ? Timestamp(created, now) : "-"),
        };
        if (job.Metadata.DeletionTimestamp is { } deleting)
        {
            lines.Add(("Deleting", $"since {Timestamp(deleting, now)} (waiting for finalizers: {string.Join(", ", job.Metadata.Finalizers ?? [])})"));
        }

        var status = job.Status;
        if (status is null)
        {
            lines.Add(("Phase", "(no status yet: the operator has not picked the job up; is it running? kubectl get pods -l app.kubernetes.io/part-of=hpck8s -A)"));
            return Aligned(lines);
        }

        lines.Add(("Phase", JobState.Phase(job)));
        if (status.ObservedGeneration is { } observed && job.Metadata.Generation is { } generation && observed < generation)
        {
            lines.Add(("Note", string.Create(Inv, $"the status describes generation {observed}; the spec is at generation {generation} (the operator has not caught up)")));
        }

        var (done, total) = JobState.Progress(job);
        lines.Add(("Progress", Bar(done, total)));
        lines.Add(("Shard counts", string.Create(Inv, $"{status.Shards.Succeeded} succeeded, {status.Shards.Running} running, {status.Shards.Failed} failed, {status.Shards.Total} total")));
        if (status.Result is { } result)
        {
            lines.Add(("Result", result.Value));
            lines.Add(("Digest", result.Digest));
        }

        if (status.Ledger is { } ledger)
        {
            var verified = ledger.Verified ? "verified" : "not verified";
            lines.Add(("Ledger", string.Create(Inv, $"{ledger.Id ?? "(no id)"}, height {ledger.Height}, {ledger.Replicas} replica(s) hold the head, {verified}")));
            lines.Add(("Ledger head", ledger.Head));
        }

        lines.Add(("Started", status.StartTime is { } started ? Timestamp(started, now) : "-"));
        lines.Add(("Completed", status.CompletionTime is { } completed ? Timestamp(completed, now) : "-"));
        if (JobState.Duration(job, now) is { } duration)
        {
            lines.Add(("Duration", status.CompletionTime is null ? $"{HumanDuration(duration)} so far" : HumanDuration(duration)));
        }

        if (status.WorkflowInstanceId is { } workflow)
        {
            lines.Add(("Workflow", workflow));
        }

        var output = Aligned(lines).ToList();
        output.Add("Conditions:");
        if (status.Conditions is not { Count: > 0 } conditions)
        {
            output.Add("  (none)");
            return output;
        }

        var rows = new List<string[]> { ConditionHeader };
        rows.AddRange(conditions.Select(c => new[]
        {
            c.Type, c.Status, c.Reason, c.LastTransitionTime == default ? "-" : Timestamp(c.LastTransitionTime, now), c.Message,
        }));
        output.AddRange(Columns(rows).Select(r => "  " + r));
        return output;
    }

    /// <summary>One line for a change seen while following a job: phase, progress and shard counts, and for a phase
    /// other than Running the latest condition's reason.</summary>
    public static string Change(V1Alpha1ComputeJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var name = job.Metadata.Name;
        if (job.Status is null)
        {
            return $"{name}: created; waiting for the operator to pick it up";
        }

        var (done, total) = JobState.Progress(job);
        var text = new StringBuilder(string.Create(Inv, $"{name}: {JobState.Phase(job)} {done}/{total} shards"));
        var shards = job.Status.Shards;
        if (shards.Running > 0 || shards.Failed > 0)
        {
            text.Append(Inv, $" ({shards.Running} running, {shards.Failed} failed)");
        }

        var latest = job.Status.Conditions?.Where(c => c.Status == "True" || c.Type == ComputeJobConditions.Ready).OrderBy(c => c.LastTransitionTime).LastOrDefault();
        if (latest is not null && JobState.Phase(job) != Core.Model.JobPhase.Running && latest.Reason.Length > 0)
        {
            text.Append(" - ").Append(latest.Reason);
            if (latest.Message.Length > 0)
            {
                text.Append(": ").Append(latest.Message);
            }
        }

        if (job.Metadata.DeletionTimestamp is not null)
        {
            text.Append(" (being deleted)");
        }

        return text.ToString();
    }

    /// <summary>What a follow ends with on standard output: phase, shards and time, then result, digest and ledger.</summary>
    public static IEnumerable<string> Summary(V1Alpha1ComputeJob job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (done, total) = JobState.Progress(job);
        var duration = JobState.Duration(job, now) is { } d ? "  " + HumanDuration(d) : "";
        yield return string.Create(Inv, $"{job.Metadata.Name}  {job.Spec.Kernel.DisplayName}  {JobState.Phase(job)}  {done}/{total} shards{duration}");
        if (job.Status?.Result is { } result)
        {
            yield return $"  result  {result.Value}";
            yield return $"  digest  {result.Digest}";
        }

        if (job.Status?.Ledger is { } ledger)
        {
            yield return string.Create(Inv, $"  ledger  {ledger.Id}  height {ledger.Height}, head {ledger.Head}");
        }
    }

    private static string Age(DateTime? created, DateTimeOffset now) =>
        created is { } c ? HumanDuration(now - new DateTimeOffset(DateTime.SpecifyKind(c, DateTimeKind.Utc))) : "<unknown>";

    private static string Timestamp(DateTime time, DateTimeOffset now) =>
        Timestamp(new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)), now);

    private static string Timestamp(DateTimeOffset time, DateTimeOffset now) =>
        string.Create(Inv, $"{time.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} ({HumanDuration(now - time)} ago)");

    // One width for every job, whatever it shows, so that views line up from one job to the next.
    private static IEnumerable<string> Aligned(List<(string Key, string Value)> lines) =>
        lines.Select(l => (l.Key + ":").PadRight(KeyWidth) + l.Value);
}
