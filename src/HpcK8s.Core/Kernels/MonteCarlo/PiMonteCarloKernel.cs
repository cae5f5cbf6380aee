using System.Globalization;
using HpcK8s.Core.Validation;

namespace HpcK8s.Core.Kernels.MonteCarlo;

/// <summary>
/// <c>pi-montecarlo</c>: estimates pi as 4·hits/samples from points drawn uniformly in the unit square, with
/// counter-based random numbers and SIMD evaluation.
/// </summary>
/// <remarks>
/// <para>The random point of sample <c>i</c> is a pure function of (<c>seed</c>, <c>i</c>), so the estimate depends
/// only on (<c>seed</c>, <c>samples</c>): not on the shard count, the arrival order, or which worker ran what.</para>
/// <para>Partial: <c>samples:hits</c> (invariant decimal integers). Merge adds both, so it is associative and
/// also commutative.</para>
/// </remarks>
public sealed class PiMonteCarloKernel : IComputeKernel
{
    /// <summary>The largest <c>samples</c> value accepted: 10^13 (about three core-hours).</summary>
    public const long MaxSamples = 10_000_000_000_000;

    private const string SamplesName = "samples";
    private const string SeedName = "seed";

    /// <inheritdoc />
    public string Name => "pi-montecarlo";

    /// <inheritdoc />
    public string Summary => "Estimates pi by Monte Carlo sampling of the unit square (counter-based random numbers, SIMD).";

    /// <inheritdoc />
    public IReadOnlyList<KernelParameter> Parameters { get; } =
    [
        new(SamplesName, "integer 1..10000000000000", true, null, "Number of random points; the estimate's standard error is about 1.64/sqrt(samples)."),
        new(SeedName, "integer 0..9223372036854775807", false, "0", "Seed of the random numbers; the same seed and samples give the same estimate."),
    ];

    /// <inheritdoc />
    public IReadOnlyList<ValidationError> Validate(KernelJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        var errors = new List<ValidationError>();
        KernelParameterReader.RejectUnknown(job, Parameters, errors);
        var samples = KernelParameterReader.ReadInt64(job, SamplesName, 1, MaxSamples, null, errors);
        KernelParameterReader.ReadInt64(job, SeedName, 0, long.MaxValue, 0, errors);
        if (job.Shards < 1)
        {
            errors.Add(new ValidationError("spec.shards", $"must be at least 1, got {job.Shards}"));
        }
        else if (samples is { } n && job.Shards > n)
        {
            errors.Add(new ValidationError("spec.shards", $"must not exceed {KernelParameterReader.PathOf(SamplesName)} ({n}): every shard needs at least one sample, got {job.Shards}"));
        }

        return errors;
    }

    /// <inheritdoc />
    public string DescribeShard(KernelJob job, int index)
    {
        var (start, count) = RangeOf(job, index);
        return string.Create(CultureInfo.InvariantCulture, $"samples {start}..{start + count - 1}");
    }

    /// <inheritdoc />
    public string ExecuteShard(KernelJob job, int index, CancellationToken cancellationToken)
    {
        var (start, count) = RangeOf(job, index);
        var key = MonteCarloSampler.KeyOf(KernelParameterReader.GetInt64(job, SeedName, 0));
        var hits = MonteCarloSampler.CountHits(key, start, count, MonteCarloSampler.Path.Auto, cancellationToken);
        return Format(count, hits);
    }

    /// <inheritdoc />
    public string Merge(KernelJob job, string left, string right)
    {
        var (leftSamples, leftHits) = Parse(left);
        var (rightSamples, rightHits) = Parse(right);
        return Format(checked(leftSamples + rightSamples), checked(leftHits + rightHits));
    }

    /// <inheritdoc />
    public KernelResult Finish(KernelJob job, string merged, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        var (samples, hits) = Parse(merged);
        var expected = KernelParameterReader.GetInt64(job, SamplesName, 0);
        if (samples != expected)
        {
            throw new InvalidOperationException($"pi-montecarlo: the merged partial covers {samples} samples but the job asked for {expected}; a shard is missing or was merged twice");
        }

        var p = (double)hits / samples;
        var standardError = 4 * Math.Sqrt(p * (1 - p) / samples);
        var inv = CultureInfo.InvariantCulture;
        return new KernelResult(
            (4 * p).ToString("G10", inv),
            new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["samples"] = samples.ToString(inv),
                ["hits"] = hits.ToString(inv),
                ["seed"] = KernelParameterReader.GetInt64(job, SeedName, 0).ToString(inv),
                ["standardError"] = standardError.ToString("G3", inv),
            });
    }

    private static (long Start, long Count) RangeOf(KernelJob job, int index)
    {
        ArgumentNullException.ThrowIfNull(job);
        return EvenSplit.Range(KernelParameterReader.GetInt64(job, SamplesName, 0), job.Shards, index);
    }

    private static string Format(long samples, long hits) =>
        string.Create(CultureInfo.InvariantCulture, $"{samples}:{hits}");

    private static (long Samples, long Hits) Parse(string partial)
    {
        ArgumentNullException.ThrowIfNull(partial);
        var colon = partial.IndexOf(':', StringComparison.Ordinal);
        if (colon > 0
            && long.TryParse(partial.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var samples)
            && long.TryParse(partial.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var hits)
            && hits <= samples)
        {
            return (samples, hits);
        }

        throw new FormatException($"pi-montecarlo: a partial must be 'samples:hits' with 0 <= hits <= samples, got '{partial}'");
    }
}
