using System.Text.Json;
using HpcK8s.Kubernetes;
using k8s;

namespace HpcK8s.Cli.Kube;

/// <summary>Follows one ComputeJob until it finishes or goes away: get → watch from its resourceVersion → on a clean
/// end (the server's watch timeout, a dropped stream) watch again from the last resourceVersion seen (bookmarks keep it
/// fresh) → on 410 Expired get again. Connection failures are retried with backoff for <see cref="GiveUpAfter"/>.</summary>
/// <remarks>Changes are reported only when something shown changes (phase, progress, shard counts, result, conditions,
/// deletion), so a relist or a repeated event does not print twice.</remarks>
internal sealed class JobFollower(ComputeJobClient client)
{
    /// <summary>How long each watch request asks the server to keep the stream open.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Grace on top of <see cref="WatchTimeout"/> before a silent stream counts as dead (a half-open connection).</summary>
    public TimeSpan WatchGrace { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>First wait after a connection failure; doubles up to <see cref="MaxRetryDelay"/>.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the API server may stay unreachable before following gives up.</summary>
    public TimeSpan GiveUpAfter { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a job may go without any status before a note asks whether the operator runs.</summary>
    public TimeSpan StatusHintAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Follows <paramref name="name"/>.</summary>
    /// <param name="name">The job.</param>
    /// <param name="onChange">Called with the job whenever something shown changed (first with its current state).</param>
    /// <param name="onNote">Called with a short note when the connection is lost and retried.</param>
    /// <param name="cancellationToken">Stops following.</param>
    /// <exception cref="CliException">No such job, the CRD is missing, or the API server stayed unreachable.</exception>
    public async Task<FollowResult> FollowAsync(string name, Action<V1Alpha1ComputeJob> onChange, Action<string>? onNote, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(onChange);
        string? uid = null;
        string? resourceVersion = null;
        V1Alpha1ComputeJob? last = null;
        string? shown = null;
        DateTimeOffset? failingSince = null;
        var delay = RetryDelay;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var hinted = 0;

        // Once, when the job has gone StatusHintAfter without a status: from the timer, or from the first sight of the
        // job if that comes later.
        void MaybeHint(bool due)
        {
            // The timer's word is taken for "due": it may fire a hair before the stopwatch agrees.
            if (Volatile.Read(ref last) is { Status: null } && (due || clock.Elapsed >= StatusHintAfter) && Interlocked.Exchange(ref hinted, 1) == 0)
            {
                onNote?.Invoke($"no status after {JobText.HumanDuration(StatusHintAfter)}: the operator has not picked the job up; is it running? (kubectl get deploy -A -l app.kubernetes.io/part-of=hpck8s)");
            }
        }

        bool Observe(V1Alpha1ComputeJob job)
        {
            Volatile.Write(ref last, job);
            var signature = Signature(job);
            if (signature != shown)
            {
                shown = signature;
                onChange(job);
            }

            MaybeHint(due: false);
            return JobState.IsFinished(job);
        }

        using var hint = new Timer(_ => MaybeHint(due: true), null, StatusHintAfter, Timeout.InfiniteTimeSpan);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                if (resourceVersion is null)
                {
                    var job = await client.GetAsync(name, cancellationToken).ConfigureAwait(false);
                    if (job is null)
                    {
                        return last is null
                            ? throw new CliException(ExitCodes.Failed, client.NotFound(name))
                            : new FollowResult(FollowEnd.Deleted, last);
                    }

                    if (uid is not null && job.Metadata.Uid != uid)
                    {
                        return new FollowResult(FollowEnd.Replaced, last!);
                    }

                    uid = job.Metadata.Uid;
                    resourceVersion = job.Metadata.ResourceVersion;
                    failingSince = null;
                    if (Observe(job))
                    {
                        return new FollowResult(FollowEnd.Finished, job);
                    }
                }

                Exception? streamError = null;
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(WatchTimeout + WatchGrace);
                var events = client.WatchAsync(name, resourceVersion!, (int)WatchTimeout.TotalSeconds, e => streamError ??= e, limit.Token);
                var streamClock = System.Diagnostics.Stopwatch.StartNew();
                var received = false;
                await foreach (var (type, obj) in events.ConfigureAwait(false))
                {
                    received = true;
                    failingSince = null;
                    delay = RetryDelay;
                    if (obj is not JsonElement element)
                    {
                        continue;
                    }

                    if (type == WatchEventType.Bookmark)
                    {
                        resourceVersion = ResourceVersionOf(element) ?? resourceVersion;
                        continue;
                    }

                    var job = ComputeJobClient.ToJob(element);
                    if (job.Metadata.Name != name)
                    {
                        continue;
                    }

                    if (job.Metadata.Uid != uid)
                    {
                        return new FollowResult(FollowEnd.Replaced, last!);
                    }

                    resourceVersion = job.Metadata.ResourceVersion ?? resourceVersion;
                    if (type == WatchEventType.Deleted)
                    {
                        return new FollowResult(FollowEnd.Deleted, job);
                    }

                    if (Observe(job))
                    {
                        return new FollowResult(FollowEnd.Finished, job);
                    }
                }

                if (streamError is not null)
                {
                    if (KubeErrors.IsExpired(streamError))
                    {
                        // The server no longer has history from our resourceVersion: read the current state instead.
                        resourceVersion = null;
                        continue;
                    }

                    throw IsRetryable(streamError)
                        ? streamError
                        : new CliException(ExitCodes.Failed, $"watching {name} failed: {streamError.Message}", streamError);
                }

                // A clean end: the server's timeout or a dropped stream. Watch again from where we were, after a pause if
                // the stream ended at once without a word (so a server that keeps closing it is not hammered).
                if (!received && streamClock.Elapsed < TimeSpan.FromSeconds(1))
                {
                    await Task.Delay(RetryDelay, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Our own limit on one watch passed without the server ending it: the connection is presumed dead.
            }
            catch (Exception e) when (KubeErrors.IsExpired(e))
            {
                resourceVersion = null;
            }
            catch (Exception e) when (uid is not null && IsRetryable(e))
            {
                // Only once the job was seen: a server that cannot be reached at the start is a setup problem, said at once.
                failingSince ??= DateTimeOffset.UtcNow;
                if (DateTimeOffset.UtcNow - failingSince > GiveUpAfter)
                {
                    throw KubeErrors.Translate(e, client.Target, client.Namespace, name) ?? new CliException(ExitCodes.Unavailable, e.Message, e);
                }

                onNote?.Invoke($"lost the connection to the API server ({Describe(e)}); retrying in {JobText.HumanDuration(delay)}");
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (Exception e) when (e is not CliException && KubeErrors.Translate(e, client.Target, client.Namespace, name) is { } translated)
            {
                throw translated;
            }
        }
    }

    // What the user sees of a job; a change to anything else (managedFields, resourceVersion) is not news.
    private static string Signature(V1Alpha1ComputeJob job)
    {
        var s = job.Status;
        if (s is null)
        {
            return job.Metadata.DeletionTimestamp is null ? "-" : "-deleting";
        }

        var conditions = string.Join(";", (s.Conditions ?? []).Select(c => $"{c.Type}={c.Status}/{c.Reason}/{c.Message}"));
        return string.Join("|", s.Phase, JobState.ProgressText(job), s.Shards.Succeeded, s.Shards.Running, s.Shards.Failed, s.Shards.Total,
            s.Result?.Digest, s.Ledger?.Head, conditions, job.Metadata.DeletionTimestamp is null ? "" : "deleting");
    }

    private static string? ResourceVersionOf(JsonElement element) =>
        element.TryGetProperty("metadata", out var metadata) && metadata.TryGetProperty("resourceVersion", out var rv) ? rv.GetString() : null;

    private static bool IsRetryable(Exception e) =>
        KubeErrors.IsTransport(e) || (e is CliException { InnerException: { } inner } && KubeErrors.IsTransport(inner))
        || e is KubernetesException { Status.Code: >= 500 };

    private static string Describe(Exception e) => e is CliException { InnerException: { } inner } ? inner.Message : e.Message;
}
