using System.Text.Json;
using HpcK8s.Core.Model;

namespace HpcK8s.Core.Hashing;

/// <summary>The digest of a job's spec, independent of how the manifest ordered its parameters.</summary>
public static class SpecDigest
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary><c>sha256:</c> over the JSON of the spec's immutable fields (kernel, parameters sorted by key, shards, retry,
    /// deadline); the fields Kubernetes lets users change on a running job (suspend, parallelism, ttl, ledger) are left out.</summary>
    public static string Compute(ComputeJobSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var canonical = new
        {
            kernel = new { name = spec.Kernel.Name, appId = spec.Kernel.AppId, method = spec.Kernel.Method },
            parameters = new SortedDictionary<string, string>(spec.Parameters, StringComparer.Ordinal),
            shards = spec.Shards,
            retry = new { maxAttempts = spec.Retry.MaxAttempts, backoff = spec.Retry.Backoff },
            activeDeadlineSeconds = spec.ActiveDeadlineSeconds,
        };
        return Digest.OfText(JsonSerializer.Serialize(canonical, Options));
    }
}
