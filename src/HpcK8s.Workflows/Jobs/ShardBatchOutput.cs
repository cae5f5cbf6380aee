namespace HpcK8s.Workflows.Jobs;

/// <summary>What a batch returns: the merged partial of its shards, or the first shard that failed for good.</summary>
/// <param name="Partial">The merge of the batch's shard partials, in shard order (null when failed).</param>
/// <param name="Succeeded">Shards that produced a result.</param>
/// <param name="FailedShard">The index of the shard that exhausted its attempts, if any.</param>
/// <param name="Error">That shard's last error.</param>
/// <param name="Attempts">How many attempts the failed shard had.</param>
public sealed record ShardBatchOutput(string? Partial, int Succeeded, int? FailedShard, string? Error, int Attempts);
