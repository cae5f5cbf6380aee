using HpcK8s.Core.Kernels.MonteCarlo;
using Path = HpcK8s.Core.Kernels.MonteCarlo.MonteCarloSampler.Path;

namespace HpcK8s.Core.Tests.Kernels;

public class MonteCarloSamplerTests
{
    // Outputs of SplitMix64 started at state 1234567: the test vector of the reference splitmix64.c (Vigna), also
    // reproduced here with gcc from that algorithm. Bits(key, i) must be output i of the generator started at key.
    [Fact]
    public void Bits_IsSplitMix64Output_MatchesPublishedVector()
    {
        ulong[] expected = [6457827717110365317, 3203168211198807973, 9817491932198370423, 4593380528125082431, 16408922859458223821];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], MonteCarloSampler.Bits(1234567, i));
        }
    }

    [Theory]
    [InlineData("Vector512")]
    [InlineData("Vector256")]
    [InlineData("Auto")]
    public void CountHits_EveryPath_MatchesScalar(string pathName)
    {
        // Forced paths run even without the hardware (the runtime emulates the vectors), so all are always tested.
        var path = Enum.Parse<Path>(pathName);
        foreach (var seed in new long[] { 0, 7, long.MaxValue })
        {
            var key = MonteCarloSampler.KeyOf(seed);
            foreach (var (start, count) in new (long, long)[] { (0, 0), (0, 1), (5, 31), (0, 32), (1, 33), (12345, 100_003), (9_999_999_000_000, 70_001) })
            {
                var scalar = MonteCarloSampler.CountHits(key, start, count, Path.Scalar, CancellationToken.None);
                Assert.Equal(scalar, MonteCarloSampler.CountHits(key, start, count, path, CancellationToken.None));
            }
        }
    }

    [Fact]
    public void CountHits_Scalar_MatchesPointByPointDefinition()
    {
        var key = MonteCarloSampler.KeyOf(3);
        long hits = 0;
        for (long i = 1000; i < 3000; i++)
        {
            var (x, y) = MonteCarloSampler.Point(key, i);
            // The definition in doubles: cell centres of a 2^30 grid, hit strictly inside the unit circle.
            var dx = x / 2147483648.0;
            var dy = y / 2147483648.0;
            hits += (dx * dx) + (dy * dy) < 1 ? 1 : 0;
        }

        Assert.Equal(hits, MonteCarloSampler.CountHits(key, 1000, 2000, Path.Scalar, CancellationToken.None));
    }

    [Fact]
    public void CountHits_IsAdditiveOverAnyCut()
    {
        var key = MonteCarloSampler.KeyOf(11);
        var whole = MonteCarloSampler.CountHits(key, 100, 1_000_000, Path.Auto, CancellationToken.None);
        var parts = MonteCarloSampler.CountHits(key, 100, 333_337, Path.Auto, CancellationToken.None)
            + MonteCarloSampler.CountHits(key, 333_437, 666_663, Path.Auto, CancellationToken.None);
        Assert.Equal(whole, parts);
    }

    [Fact]
    public void CountHits_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => MonteCarloSampler.CountHits(1, 0, 10, Path.Auto, cts.Token));
    }

    [Fact]
    public void Point_CoordinatesAreOddAndBelow2Pow31()
    {
        var key = MonteCarloSampler.KeyOf(0);
        for (long i = 0; i < 10_000; i++)
        {
            var (x, y) = MonteCarloSampler.Point(key, i);
            Assert.True(x % 2 == 1 && x < (1UL << 31));
            Assert.True(y % 2 == 1 && y < (1UL << 31));
        }
    }

    // Chi-square goodness of fit: 64 bins per coordinate and 16×16 joint bins, for consecutive and for strided
    // indices (a counter-based generator must not care how indices are spaced). Bounds are mean + 5 sd of the
    // chi-square distribution, so a correct generator fails with probability below 1e-5.
    [Theory]
    [InlineData(0L, 1L)]
    [InlineData(42L, 1L)]
    [InlineData(1L, 4096L)]
    [InlineData(long.MaxValue, 8L)]
    public void Point_IsUniform_ChiSquare(long seed, long stride)
    {
        const int N = 1 << 18;
        var key = MonteCarloSampler.KeyOf(seed);
        var xBins = new long[64];
        var yBins = new long[64];
        var joint = new long[256];
        for (long i = 0; i < N; i++)
        {
            var (x, y) = MonteCarloSampler.Point(key, i * stride);
            xBins[x >> 25]++;
            yBins[y >> 25]++;
            joint[((x >> 27) * 16) + (y >> 27)]++;
        }

        Assert.InRange(ChiSquare(xBins, N), 0, 63 + (5 * Math.Sqrt(2 * 63)));
        Assert.InRange(ChiSquare(yBins, N), 0, 63 + (5 * Math.Sqrt(2 * 63)));
        Assert.InRange(ChiSquare(joint, N), 0, 255 + (5 * Math.Sqrt(2 * 255)));
    }

    // Every one of the 64 output bits is set half the time (5 standard deviations), and neighbouring samples'
    // bits are uncorrelated.
    [Fact]
    public void Bits_EachBitBalancedAndIndependentOfNeighbour()
    {
        const int N = 1 << 16;
        var key = MonteCarloSampler.KeyOf(5);
        var ones = new int[64];
        var agree = new int[64];
        var previous = MonteCarloSampler.Bits(key, 0);
        for (long i = 1; i <= N; i++)
        {
            var bits = MonteCarloSampler.Bits(key, i);
            for (var b = 0; b < 64; b++)
            {
                ones[b] += (int)((bits >> b) & 1);
                agree[b] += (int)(~(bits ^ previous) >> b & 1);
            }

            previous = bits;
        }

        var bound = 5 * Math.Sqrt(N * 0.25);
        for (var b = 0; b < 64; b++)
        {
            Assert.InRange(ones[b], (N / 2) - bound, (N / 2) + bound);
            Assert.InRange(agree[b], (N / 2) - bound, (N / 2) + bound);
        }
    }

    private static double ChiSquare(long[] bins, long total)
    {
        var expected = (double)total / bins.Length;
        return bins.Sum(b => (b - expected) * (b - expected) / expected);
    }
}
