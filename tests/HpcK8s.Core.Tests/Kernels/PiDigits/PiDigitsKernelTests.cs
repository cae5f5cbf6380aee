using System.Security.Cryptography;
using System.Text;
using HpcK8s.Core.Kernels;
using HpcK8s.Core.Kernels.PiDigits;
using HpcK8s.Core.Numerics;
using static HpcK8s.Core.Tests.Kernels.PiDigits.PiDigitsRunner;

namespace HpcK8s.Core.Tests.Kernels.PiDigits;

public class PiDigitsKernelTests
{
    private static readonly PiDigitsKernel Gmp = new(PiDigitsArithmetic.Gmp);
    private static readonly PiDigitsKernel Managed = new(PiDigitsArithmetic.Managed);

    [Fact]
    public void GmpLibrary_OnThisMachine_IsAvailable()
    {
        Assert.True(GmpLibrary.IsAvailable, $"{GmpLibrary.LoadError}; {GmpLibrary.InstallHint}");
        Assert.False(string.IsNullOrEmpty(GmpLibrary.Version));
    }

    [Fact]
    public void Finish_20Digits_GivesKnownDigits()
    {
        var result = Run(Gmp, Job(20, 1));

        Assert.Equal("3.14159265358979323846", result.Value);
    }

    [Fact]
    public void Finish_2000Digits_MatchesBc()
    {
        var result = Run(Gmp, Job(2000, 5));

        Assert.Equal(BcReference.First2000, result.Value);
    }

    [Fact]
    public void Finish_2000DigitsManaged_MatchesBc()
    {
        var result = Run(Managed, Job(2000, 3));

        Assert.Equal(BcReference.First2000, result.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(13)]
    [InlineData(14)]
    [InlineData(15)]
    [InlineData(28)]
    [InlineData(29)]
    [InlineData(100)]
    [InlineData(761)] // pi has six 9s at decimals 762..767 (the Feynman point)
    [InlineData(762)]
    [InlineData(765)]
    [InlineData(1999)]
    public void Finish_AnyDigitCount_TruncatesToExactlyThatManyDigits(int digits)
    {
        var expected = BcReference.First2000[..(digits + 2)];

        Assert.Equal(expected, Run(Gmp, Job(digits, 1)).Value);
        Assert.Equal(expected, Run(Managed, Job(digits, 1)).Value);
    }

    // The fixture: a SHA-256 of bc's first 10,000 decimals, made (about 80 s) with
    //   echo "scale=10010; 4*a(1)" | BC_LINE_LENGTH=0 bc -l | tr -d '\\\n' | head -c 10002 | sha256sum
    [Fact]
    public void Finish_10000Digits_MatchesStoredBcDigest()
    {
        var result = Run(Gmp, Job(10_000, 16));

        Assert.Equal(10_002, result.Value.Length);
        Assert.EndsWith("46101264836999892256959688159205600101655256375678", result.Value);
        var digest = Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(result.Value)));
        Assert.Equal("452304d0e15d9e9fd9b63024212bb571de54b9b9f0aa050481f90530ef0b5c5d", digest);
    }

    [Fact]
    public void Finish_Result_HasDetails()
    {
        var result = Run(Gmp, Job(1000, 4));

        Assert.Equal("1000", result.Details["digits"]);
        Assert.Equal(PiDigitsKernel.TermsFor(1000).ToString(System.Globalization.CultureInfo.InvariantCulture), result.Details["terms"]);
        Assert.StartsWith("gmp ", result.Details["arithmetic"]);
        Assert.Equal("managed", Run(Managed, Job(1000, 4)).Details["arithmetic"]);
    }

    [Fact]
    public void Run_ShardCounts1_2_7_64_GiveIdenticalResults()
    {
        var expected = Run(Gmp, Job(3000, 1)).Value;

        foreach (var shards in new[] { 2, 7, 64 })
        {
            Assert.Equal(expected, Run(Gmp, Job(3000, shards)).Value);
        }

        Assert.Equal(BcReference.First2000, expected[..2002]);
    }

    [Fact]
    public void Run_ArbitraryArrivalOrders_GiveIdenticalResults()
    {
        var job = Job(3000, 64);
        var expected = Run(Gmp, job).Value;

        foreach (var seed in new[] { 1, 2, 3, 4 })
        {
            var order = Enumerable.Range(0, job.Shards).ToArray();
            new Random(seed).Shuffle(order);
            Assert.Equal(expected, Run(Gmp, job, order).Value);
        }

        Assert.Equal(expected, Run(Gmp, job, Enumerable.Range(0, job.Shards).Reverse()).Value);
    }

    [Theory]
    [InlineData(PiDigitsArithmetic.Gmp)]
    [InlineData(PiDigitsArithmetic.Managed)]
    public void Merge_ThreeAdjacentRanges_IsAssociative(PiDigitsArithmetic arithmetic)
    {
        var kernel = new PiDigitsKernel(arithmetic);
        var job = Job(1500, 5);
        var parts = Enumerable.Range(0, job.Shards).Select(i => kernel.ExecuteShard(job, i, CancellationToken.None)).ToArray();

        // Inner triples (P kept) and the last triple (its P dropped because nothing is to its right).
        foreach (var (a, b, c) in new[] { (parts[0], parts[1], parts[2]), (parts[2], parts[3], parts[4]) })
        {
            var leftFirst = kernel.Merge(job, kernel.Merge(job, a, b), c);
            var rightFirst = kernel.Merge(job, a, kernel.Merge(job, b, c));
            Assert.Equal(leftFirst, rightFirst);
        }
    }

    [Fact]
    public void Merge_EqualsComputingTheWholeRangeInOneShard()
    {
        var twoShards = Job(1500, 2);
        var merged = Gmp.Merge(twoShards, Gmp.ExecuteShard(twoShards, 0, default), Gmp.ExecuteShard(twoShards, 1, default));

        Assert.Equal(Gmp.ExecuteShard(Job(1500, 1), 0, default), merged);
    }

    [Fact]
    public void Merge_NonAdjacentRanges_ThrowsNamingTheRanges()
    {
        var job = Job(1500, 4);
        var first = Gmp.ExecuteShard(job, 0, default);
        var third = Gmp.ExecuteShard(job, 2, default);

        var ex = Assert.Throws<InvalidOperationException>(() => Gmp.Merge(job, first, third));
        Assert.Contains("adjacent", ex.Message);
        Assert.Contains(Gmp.DescribeShard(job, 0).Split(" of ")[0], ex.Message);
        Assert.Throws<InvalidOperationException>(() => Gmp.Merge(job, Gmp.ExecuteShard(job, 1, default), first));
    }

    [Fact]
    public void Merge_NotAPartial_ThrowsFormatException()
    {
        var job = Job(1500, 2);
        var ex = Assert.Throws<FormatException>(() => Gmp.Merge(job, "3.14", Gmp.ExecuteShard(job, 1, default)));

        Assert.Contains("left partial", ex.Message);
    }

    [Fact]
    public void Finish_PartialMissingTerms_Throws()
    {
        var job = Job(1500, 2);

        var ex = Assert.Throws<InvalidOperationException>(() => Gmp.Finish(job, Gmp.ExecuteShard(job, 0, default), default));
        Assert.Contains("covers terms 0..", ex.Message);
    }

    [Fact]
    public void ExecuteShard_GmpAndManaged_GiveIdenticalPartials()
    {
        var job = Job(5000, 7);
        for (var i = 0; i < job.Shards; i++)
        {
            Assert.Equal(Gmp.ExecuteShard(job, i, default), Managed.ExecuteShard(job, i, default));
        }
    }

    [Fact]
    public void Run_GmpAndManaged_GiveIdenticalDigits()
    {
        var job = Job(8000, 7);

        Assert.Equal(Run(Gmp, job).Value, Run(Managed, job).Value);
    }

    [Fact]
    public void Merge_PartialsFromTheOtherArithmetic_AreInterchangeable()
    {
        var job = Job(3000, 4);
        var gmpParts = Enumerable.Range(0, 4).Select(i => Gmp.ExecuteShard(job, i, default)).ToArray();
        var managedParts = Enumerable.Range(0, 4).Select(i => Managed.ExecuteShard(job, i, default)).ToArray();

        var mixed = Managed.Merge(job, Gmp.Merge(job, managedParts[0], gmpParts[1]), Managed.Merge(job, gmpParts[2], managedParts[3]));

        Assert.Equal(Run(Gmp, job).Value, Gmp.Finish(job, mixed, default).Value);
    }

    [Fact]
    public void ExecuteShard_ManagedAboveItsLimit_ThrowsSayingHowToInstallGmp()
    {
        var job = Job(PiDigitsKernel.ManagedMaxDigits + 1, 4);

        var ex = Assert.Throws<InvalidOperationException>(() => Managed.ExecuteShard(job, 0, default));
        Assert.Contains("libgmp.so.10", ex.Message);
        Assert.Contains("apt-get install libgmp10", ex.Message);
        Assert.Contains("at most 100,000 digits", ex.Message);
    }

    [Fact]
    public void ExecuteShard_Cancelled_ThrowsOperationCanceled()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.ThrowsAny<OperationCanceledException>(() => Gmp.ExecuteShard(Job(1000, 1), 0, cancelled.Token));
        Assert.ThrowsAny<OperationCanceledException>(() => Managed.ExecuteShard(Job(1000, 1), 0, cancelled.Token));
    }

    [Fact]
    public void ExecuteShard_LastShard_LeavesOutP()
    {
        var job = Job(1000, 3);

        Assert.Contains(";;", Gmp.ExecuteShard(job, 2, default));
        Assert.DoesNotContain(";;", Gmp.ExecuteShard(job, 1, default));
    }

    [Fact]
    public void DescribeShard_CoversAllTermsWithoutGaps()
    {
        var job = Job(1000, 7);
        var terms = PiDigitsKernel.TermsFor(1000);

        var descriptions = Enumerable.Range(0, 7).Select(i => Gmp.DescribeShard(job, i)).ToList();

        Assert.Equal($"terms 0..{(terms / 7) - 1} of {terms}", descriptions[0]);
        Assert.EndsWith($"..{terms - 1} of {terms}", descriptions[6]);
    }

    [Fact]
    public void TermsFor_IsAboutDigitsOver14()
    {
        Assert.Equal(3, PiDigitsKernel.TermsFor(1));
        Assert.InRange(PiDigitsKernel.TermsFor(1_000_000), 70_514, 70_520);
    }

    [Fact]
    public void BuiltInKernels_ContainPiDigits()
    {
        Assert.IsType<PiDigitsKernel>(KernelRegistry.BuiltIn.Get("pi-digits"));
    }
}
