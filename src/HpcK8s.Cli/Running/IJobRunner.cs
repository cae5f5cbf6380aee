using HpcK8s.Core.Model;

namespace HpcK8s.Cli.Running;

/// <summary>Runs one validated ComputeJob on this machine and reports how it ended.</summary>
internal interface IJobRunner
{
    /// <summary>Runs <paramref name="job"/>; calls <paramref name="progress"/> as shards finish.</summary>
    /// <remarks>Cancellation (Ctrl-C) ends the run with <see cref="OperationCanceledException"/>.</remarks>
    Task<RunReport> RunAsync(ComputeJob job, JobRunOptions options, Action<ShardProgress> progress, CancellationToken cancellationToken);
}
