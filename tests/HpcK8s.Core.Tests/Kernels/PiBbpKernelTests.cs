using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.Bbp;

namespace HpcK8s.Core.Tests.Kernels;

public class PiBbpKernelTests
{
    private readonly PiBbpKernel _kernel = new();

    [Fact]
    public void Run_Position1Count8_Is243f6a88()
    {
        var result = KernelRunner.Run(_kernel, KernelRunner.Job(1, ("position", "1"), ("count", "8")));
        Assert.Equal("243f6a88", result.Value);
        Assert.Equal("1", result.Details["position"]);
        Assert.Equal("8", result.Details["count"]);
    }

    [Fact]
    public void Run_DefaultCount_IsEight()
    {
        Assert.Equal("243f6a88", KernelRunner.Run(_kernel, KernelRunner.Job(1, ("position", "1"))).Value);
    }

    [Theory]
    [InlineData(1L, 2048, 7)]
    [InlineData(2L, 100, 3)]
    [InlineData(17L, 333, 5)]
    [InlineData(500L, 1000, 64)]
    [InlineData(1023L, 1026, 13)]
    [InlineData(1999L, 50, 50)]
    public void Run_SeveralOffsets_MatchBc(long position, int count, int shards)
    {
        var job = KernelRunner.Job(shards, ("position", position.ToString()), ("count", count.ToString()));
        Assert.Equal(BcPiHexDigits.At(position, count), KernelRunner.Run(_kernel, job, orderSeed: shards).Value);
    }

    [Fact]
    public void Run_ShardCountAndArrivalOrder_DoNotChangeTheResult()
    {
        var reference = KernelRunner.Run(_kernel, KernelRunner.Job(1, ("position", "30000"), ("count", "150")));
        foreach (var shards in new[] { 5, 64 })
        {
            foreach (int? order in new int?[] { null, 1, 2 })
            {
                var result = KernelRunner.Run(_kernel, KernelRunner.Job(shards, ("position", "30000"), ("count", "150")), order);
                Assert.Equal(reference.Value, result.Value);
            }
        }

        Assert.Equal(150, reference.Value.Length);
    }

    [Fact]
    public void DescribeShard_SplitsPositionsEvenly()
    {
        var job = KernelRunner.Job(3, ("position", "100"), ("count", "10"));
        Assert.Equal("hex digits at positions 100..103", _kernel.DescribeShard(job, 0));
        Assert.Equal("hex digits at positions 104..106", _kernel.DescribeShard(job, 1));
        Assert.Equal("hex digits at positions 107..109", _kernel.DescribeShard(job, 2));
    }

    [Fact]
    public void ExecuteShard_PartialCarriesItsStart()
    {
        var job = KernelRunner.Job(2, ("position", "1"), ("count", "16"));
        Assert.Equal("1:243f6a88", _kernel.ExecuteShard(job, 0, CancellationToken.None));
        Assert.Equal("9:85a308d3", _kernel.ExecuteShard(job, 1, CancellationToken.None));
    }

    [Fact]
    public void Merge_Adjacent_Concatenates()
    {
        var job = KernelRunner.Job(2, ("position", "1"), ("count", "16"));
        Assert.Equal("1:243f6a8885a308d3", _kernel.Merge(job, "1:243f6a88", "9:85a308d3"));
    }

    [Theory]
    [InlineData("1:243f6a88", "10:5a308d3")]
    [InlineData("9:85a308d3", "1:243f6a88")]
    [InlineData("1:243f6a88", "8:885a308d3")]
    public void Merge_NotAdjacent_ThrowsNamingThePositions(string left, string right)
    {
        var job = KernelRunner.Job(2, ("position", "1"), ("count", "16"));
        var error = Assert.Throws<InvalidOperationException>(() => _kernel.Merge(job, left, right));
        Assert.Contains("must be adjacent", error.Message);
        Assert.Contains("positions", error.Message);
    }

    [Theory]
    [InlineData("243f6a88")]
    [InlineData("0:243f")]
    [InlineData("1:")]
    [InlineData("1:243F")]
    [InlineData("x:243f")]
    public void Merge_MalformedPartial_ThrowsFormatException(string partial)
    {
        var job = KernelRunner.Job(2, ("position", "1"), ("count", "16"));
        var error = Assert.Throws<FormatException>(() => _kernel.Merge(job, partial, "9:85a308d3"));
        Assert.Contains("start:hexdigits", error.Message);
    }

    [Fact]
    public void Finish_WrongCoverage_Throws()
    {
        var job = KernelRunner.Job(2, ("position", "1"), ("count", "16"));
        var error = Assert.Throws<InvalidOperationException>(() => _kernel.Finish(job, "1:243f6a88", CancellationToken.None));
        Assert.Contains("asked for 16 from 1", error.Message);
    }

    [Theory]
    [InlineData(null, "8", "spec.parameters.position", "is required")]
    [InlineData("0", "8", "spec.parameters.position", "must be between 1 and 250,000,000, got 0")]
    [InlineData("250000001", "8", "spec.parameters.position", "must be between 1 and 250,000,000")]
    [InlineData("pi", "8", "spec.parameters.position", "must be an integer")]
    [InlineData("1", "0", "spec.parameters.count", "must be between 1 and 1,000,000, got 0")]
    [InlineData("1", "1000001", "spec.parameters.count", "must be between 1 and 1,000,000")]
    public void Validate_BadParameter_NamesTheField(string? position, string count, string path, string message)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["count"] = count };
        if (position is not null)
        {
            parameters["position"] = position;
        }

        var error = Assert.Single(_kernel.Validate(new KernelJob(parameters, 1)));
        Assert.Equal(path, error.Path);
        Assert.Contains(message, error.Message);
    }

    // The documented maxima are accepted together, and they stay inside what the 32-bit arithmetic supports.
    [Fact]
    public void Validate_MaxPositionAndCount_AreAcceptedAndSupported()
    {
        var job = KernelRunner.Job(1, ("position", PiBbpKernel.MaxPosition.ToString()), ("count", PiBbpKernel.MaxCount.ToString()));
        Assert.Empty(_kernel.Validate(job));
        Assert.True(PiBbpKernel.MaxPosition + PiBbpKernel.MaxCount - 1 <= BbpDigits.MaxEvaluationPosition);
    }

    [Fact]
    public void Validate_MoreShardsThanDigits_NamesSpecShards()
    {
        var error = Assert.Single(_kernel.Validate(KernelRunner.Job(9, ("position", "1"))));
        Assert.Equal("spec.shards", error.Path);
        Assert.Contains("spec.parameters.count (8)", error.Message);
    }

    [Fact]
    public void Validate_UnknownParameter_NamesIt()
    {
        var error = Assert.Single(_kernel.Validate(KernelRunner.Job(1, ("position", "1"), ("digits", "5"))));
        Assert.Equal("spec.parameters.digits", error.Path);
        Assert.Contains("position, count", error.Message);
    }

    [Fact]
    public void BuiltInKernels_IncludesPiBbp()
    {
        Assert.IsType<PiBbpKernel>(KernelRegistry.BuiltIn.Get("pi-bbp"));
    }
}
