using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.PiDigits;

namespace HpcK8s.Core.Tests.Kernels.PiDigits;

public class PiDigitsValidationTests
{
    private static readonly PiDigitsKernel Kernel = new();

    private static KernelJob Job(int shards, params (string Key, string Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Key, p => p.Value), shards);

    [Theory]
    [InlineData("1", 1)]
    [InlineData("1000000", 64)]
    [InlineData("100_000_000", 4096)]
    [InlineData(" 42 ", 3)]
    public void Validate_GoodJob_ReturnsNoErrors(string digits, int shards)
    {
        Assert.Empty(Kernel.Validate(Job(shards, ("digits", digits))));
    }

    [Theory]
    [InlineData("abc", "must be an integer")]
    [InlineData("3.5", "must be an integer")]
    [InlineData("", "must be an integer")]
    [InlineData("0", "must be between 1 and 100,000,000, got 0")]
    [InlineData("-5", "must be between 1 and 100,000,000, got -5")]
    [InlineData("100000001", "must be between 1 and 100,000,000, got 100,000,001")]
    [InlineData("99999999999999999999", "must be an integer")]
    public void Validate_BadDigits_NamesTheField(string digits, string message)
    {
        var error = Assert.Single(Kernel.Validate(Job(1, ("digits", digits))));

        Assert.Equal("spec.parameters.digits", error.Path);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Validate_MissingDigits_SaysItIsRequired()
    {
        var error = Assert.Single(Kernel.Validate(Job(1)));

        Assert.Equal("spec.parameters.digits", error.Path);
        Assert.Contains("is required", error.Message);
    }

    [Fact]
    public void Validate_MoreShardsThanTerms_NamesTheMaximum()
    {
        var terms = PiDigitsKernel.TermsFor(100);
        Assert.Empty(Kernel.Validate(Job((int)terms, ("digits", "100"))));

        var error = Assert.Single(Kernel.Validate(Job((int)terms + 1, ("digits", "100"))));

        Assert.Equal("spec.shards", error.Path);
        Assert.Contains($"must be at most {terms} for 100 digits", error.Message);
    }

    [Fact]
    public void Validate_ZeroShards_NamesShards()
    {
        var error = Assert.Single(Kernel.Validate(Job(0, ("digits", "100"))));

        Assert.Equal("spec.shards", error.Path);
    }

    [Fact]
    public void Validate_UnknownParameter_ListsTheKnownOnes()
    {
        var error = Assert.Single(Kernel.Validate(Job(1, ("digits", "10"), ("precision", "5"))));

        Assert.Equal("spec.parameters.precision", error.Path);
        Assert.Contains("accepts: digits", error.Message);
    }

    [Fact]
    public void Validate_SeveralProblems_ReturnsEveryOne()
    {
        var errors = Kernel.Validate(Job(0, ("digits", "zero"), ("base", "16"), ("seed", "1")));

        Assert.Equal(
            ["spec.parameters.base", "spec.parameters.seed", "spec.parameters.digits", "spec.shards"],
            errors.Select(e => e.Path));
    }

    [Fact]
    public void Parameters_DescribeDigits()
    {
        var parameter = Assert.Single(Kernel.Parameters);

        Assert.Equal("digits", parameter.Name);
        Assert.True(parameter.Required);
        Assert.Contains("100,000,000", parameter.Type);
    }
}
