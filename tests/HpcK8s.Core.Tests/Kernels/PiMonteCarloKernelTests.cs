using System.Globalization;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.MonteCarlo;

namespace HpcK8s.Core.Tests.Kernels;

public class PiMonteCarloKernelTests
{
    private readonly PiMonteCarloKernel _kernel = new();

    [Theory]
    [InlineData(10_000L, 0L)]
    [InlineData(1_000_000L, 1L)]
    [InlineData(1_000_000L, 123_456_789L)]
    [InlineData(20_000_000L, 0L)]
    [InlineData(20_000_000L, 99L)]
    [InlineData(50_000_000L, long.MaxValue)]
    public void Run_EstimateWithinFiveStandardErrorsOfPi(long samples, long seed)
    {
        var result = KernelRunner.Run(_kernel, KernelRunner.Job(4, ("samples", samples.ToString()), ("seed", seed.ToString())));
        var estimate = double.Parse(result.Value, CultureInfo.InvariantCulture);
        // The standard error of the true distribution, not the sample's, so a lucky sample cannot widen the bound.
        var p = Math.PI / 4;
        var standardError = 4 * Math.Sqrt(p * (1 - p) / samples);
        Assert.InRange(estimate, Math.PI - (5 * standardError), Math.PI + (5 * standardError));
        Assert.Equal(samples.ToString(CultureInfo.InvariantCulture), result.Details["samples"]);
        Assert.Equal(seed.ToString(CultureInfo.InvariantCulture), result.Details["seed"]);
    }

    // The mean of many independent estimates tightens the check: over 64 seeds × 10^6 samples the pooled estimate
    // has a standard error of about 2e-4; a biased geometry or generator would show here first.
    [Fact]
    public void Run_PooledOverManySeeds_IsUnbiased()
    {
        long hits = 0;
        const long Samples = 1_000_000;
        for (var seed = 1000; seed < 1064; seed++)
        {
            var result = KernelRunner.Run(_kernel, KernelRunner.Job(1, ("samples", Samples.ToString()), ("seed", seed.ToString())));
            hits += long.Parse(result.Details["hits"], CultureInfo.InvariantCulture);
        }

        var n = 64 * Samples;
        var p = Math.PI / 4;
        Assert.InRange(4.0 * hits / n, Math.PI - (5 * 4 * Math.Sqrt(p * (1 - p) / n)), Math.PI + (5 * 4 * Math.Sqrt(p * (1 - p) / n)));
    }

    [Fact]
    public void Run_ShardCountAndArrivalOrder_DoNotChangeTheResult()
    {
        var reference = KernelRunner.Run(_kernel, KernelRunner.Job(1, ("samples", "1000003"), ("seed", "17")));
        foreach (var shards in new[] { 3, 64, 1000 })
        {
            foreach (int? order in new int?[] { null, 1, 2 })
            {
                var result = KernelRunner.Run(_kernel, KernelRunner.Job(shards, ("samples", "1000003"), ("seed", "17")), order);
                Assert.Equal(reference.Value, result.Value);
                Assert.Equal(reference.Details["hits"], result.Details["hits"]);
            }
        }
    }

    [Fact]
    public void Run_SamplesEqualShards_EveryShardHasOneSample()
    {
        var job = KernelRunner.Job(64, ("samples", "64"));
        Assert.Equal("samples 63..63", _kernel.DescribeShard(job, 63));
        var result = KernelRunner.Run(_kernel, job, 3);
        Assert.Equal("64", result.Details["samples"]);
    }

    [Fact]
    public void Run_DifferentSeeds_GiveDifferentHits()
    {
        var hits = Enumerable.Range(0, 8)
            .Select(seed => KernelRunner.Run(_kernel, KernelRunner.Job(2, ("samples", "1000000"), ("seed", seed.ToString()))).Details["hits"])
            .ToList();
        Assert.Equal(hits.Count, hits.Distinct().Count());
    }

    [Fact]
    public void Run_SameSeedTwice_GivesSameResult()
    {
        var job = KernelRunner.Job(5, ("samples", "777777"), ("seed", "5"));
        Assert.Equal(KernelRunner.Run(_kernel, job, 1), KernelRunner.Run(_kernel, job, 2), new ResultComparer());
    }

    [Fact]
    public void DescribeShard_SplitsEvenly_FirstShardsGetTheRemainder()
    {
        var job = KernelRunner.Job(3, ("samples", "10"));
        Assert.Equal("samples 0..3", _kernel.DescribeShard(job, 0));
        Assert.Equal("samples 4..6", _kernel.DescribeShard(job, 1));
        Assert.Equal("samples 7..9", _kernel.DescribeShard(job, 2));
    }

    [Fact]
    public void Merge_AddsSamplesAndHits_InEitherOrder()
    {
        var job = KernelRunner.Job(2, ("samples", "30"));
        Assert.Equal("30:21", _kernel.Merge(job, "10:8", "20:13"));
        Assert.Equal("30:21", _kernel.Merge(job, "20:13", "10:8"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("10")]
    [InlineData("10:11")]
    [InlineData("-1:0")]
    [InlineData("a:b")]
    [InlineData("{\"samples\":1}")]
    public void Merge_MalformedPartial_ThrowsFormatException(string partial)
    {
        var error = Assert.Throws<FormatException>(() => _kernel.Merge(KernelRunner.Job(1, ("samples", "1")), "1:1", partial));
        Assert.Contains("samples:hits", error.Message);
    }

    [Fact]
    public void Finish_FormatsEstimateAndStandardError()
    {
        var job = KernelRunner.Job(1, ("samples", "1000"), ("seed", "3"));
        var result = _kernel.Finish(job, "1000:785", CancellationToken.None);
        Assert.Equal("3.14", result.Value);
        Assert.Equal("785", result.Details["hits"]);
        Assert.Equal("3", result.Details["seed"]);
        Assert.Equal("0.052", result.Details["standardError"]);
    }

    [Fact]
    public void Finish_TenSignificantDigits_InvariantCulture()
    {
        var job = KernelRunner.Job(1, ("samples", "7"));
        Assert.Equal("3.428571429", _kernel.Finish(job, "7:6", CancellationToken.None).Value);
    }

    [Fact]
    public void Finish_SampleCountMismatch_Throws()
    {
        var job = KernelRunner.Job(2, ("samples", "100"));
        var error = Assert.Throws<InvalidOperationException>(() => _kernel.Finish(job, "50:40", CancellationToken.None));
        Assert.Contains("50 samples", error.Message);
    }

    [Theory]
    [InlineData(null, "spec.parameters.samples", "is required")]
    [InlineData("0", "spec.parameters.samples", "must be between 1 and 10,000,000,000,000, got 0")]
    [InlineData("10000000000001", "spec.parameters.samples", "must be between 1 and 10,000,000,000,000")]
    [InlineData("many", "spec.parameters.samples", "must be an integer")]
    public void Validate_BadSamples_NamesTheField(string? samples, string path, string message)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        if (samples is not null)
        {
            parameters["samples"] = samples;
        }

        var error = Assert.Single(_kernel.Validate(new KernelJob(parameters, 1)));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Validate_MaxSamplesAndMaxSeed_AreAccepted()
    {
        var job = KernelRunner.Job(1, ("samples", PiMonteCarloKernel.MaxSamples.ToString()), ("seed", long.MaxValue.ToString()));
        Assert.Empty(_kernel.Validate(job));
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("9223372036854775808")]
    [InlineData("1.5")]
    public void Validate_BadSeed_NamesTheField(string seed)
    {
        var error = Assert.Single(_kernel.Validate(KernelRunner.Job(1, ("samples", "10"), ("seed", seed))));
        Assert.Equal("spec.parameters.seed", error.Path);
    }

    [Fact]
    public void Validate_MoreShardsThanSamples_NamesSpecShards()
    {
        var error = Assert.Single(_kernel.Validate(KernelRunner.Job(11, ("samples", "10"))));
        Assert.Equal("spec.shards", error.Path);
        Assert.Contains("spec.parameters.samples (10)", error.Message);
    }

    [Fact]
    public void Validate_UnknownParameter_NamesIt()
    {
        var error = Assert.Single(_kernel.Validate(KernelRunner.Job(1, ("samples", "10"), ("digits", "5"))));
        Assert.Equal("spec.parameters.digits", error.Path);
        Assert.Contains("samples, seed", error.Message);
    }

    [Fact]
    public void BuiltInKernels_IncludesPiMonteCarlo()
    {
        Assert.IsType<PiMonteCarloKernel>(KernelRegistry.BuiltIn.Get("pi-montecarlo"));
    }

    private sealed class ResultComparer : IEqualityComparer<KernelResult>
    {
        public bool Equals(KernelResult? x, KernelResult? y) =>
            x is not null && y is not null && x.Value == y.Value && x.Details.OrderBy(d => d.Key).SequenceEqual(y.Details.OrderBy(d => d.Key));

        public int GetHashCode(KernelResult obj) => obj.Value.GetHashCode(StringComparison.Ordinal);
    }
}
