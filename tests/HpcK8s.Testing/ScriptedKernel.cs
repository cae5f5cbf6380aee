using System.Collections.Concurrent;
using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Validation;

namespace HpcK8s.Testing;

/// <summary>
/// A kernel whose shards return their index squared, and fail as scripted by parameters:
/// <c>failFirst</c> attempts of every shard throw; shard <c>alwaysFail</c> never succeeds; <c>sleepMs</c> per shard.
/// </summary>
public sealed class ScriptedKernel : IComputeKernel
{
    private static readonly KernelParameter[] Params =
    [
        new("failFirst", "integer", false, "0", "attempts of each shard that throw before it succeeds"),
        new("alwaysFail", "integer", false, "-1", "index of a shard that always throws"),
        new("sleepMs", "integer", false, "0", "milliseconds each shard sleeps"),
    ];

    private readonly ConcurrentDictionary<int, int> _attempts = new();
    private int _running;
    private int _maxRunning;

    public string Name => "scripted";

    public string Summary => "test kernel";

    public IReadOnlyList<KernelParameter> Parameters => Params;

    public int AttemptsOf(int index) => _attempts.GetValueOrDefault(index);

    /// <summary>Most shards that ran at the same moment.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxRunning);

    /// <summary>Shard executions so far, all attempts.</summary>
    public int Executions => _attempts.Values.Sum();

    public IReadOnlyList<ValidationError> Validate(KernelJob job)
    {
        var errors = new List<ValidationError>();
        KernelParameterReader.RejectUnknown(job, Params, errors);
        return errors;
    }

    public string DescribeShard(KernelJob job, int index) => $"shard {index}";

    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var attempt = _attempts.AddOrUpdate(index, 1, (_, n) => n + 1);
        var running = Interlocked.Increment(ref _running);
        int seen;
        while (running > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, running, seen) != seen)
        {
        }

        try
        {
            Thread.Sleep((int)KernelParameterReader.GetInt64(job, "sleepMs", 0));
        }
        finally
        {
            Interlocked.Decrement(ref _running);
        }

        if (index == KernelParameterReader.GetInt64(job, "alwaysFail", -1))
        {
            throw new InvalidOperationException($"shard {index} is broken");
        }

        if (attempt <= KernelParameterReader.GetInt64(job, "failFirst", 0))
        {
            throw new InvalidOperationException($"transient failure {attempt}");
        }

        return ((long)index * index).ToString(CultureInfo.InvariantCulture);
    }

    public string Merge(KernelJob job, string left, string right) =>
        (long.Parse(left, CultureInfo.InvariantCulture) + long.Parse(right, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);

    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken) =>
        new(merged, new Dictionary<string, string> { ["shards"] = job.Shards.ToString(CultureInfo.InvariantCulture) });
}
