using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace HpcK8s.Core.Kernels.MonteCarlo;

/// <summary>
/// Counts Monte Carlo hits in the quarter disc with counter-based random numbers: sample <c>i</c> of a job is a pure
/// function of (seed, i), so any cut of the sample range into shards, on any thread or pod, gives the same total.
/// </summary>
/// <remarks>
/// <para>Generator: sample <c>i</c> uses <c>h = Mix(key + (i + 1)·γ)</c>, the SplitMix64 finaliser (Stafford variant 13)
/// over a Weyl sequence with γ = 2^64/φ. This is exactly output <c>i</c> of the SplitMix64 generator started at state
/// <c>key</c> (Steele, Lea, Flood 2014; passes BigCrush), but it can be evaluated at any index, in any order, in SIMD
/// lanes. <c>key = Mix(seed ⊕ c)</c> is a bijection of the seed, so distinct seeds start at distinct, scattered points
/// of the 2^64 cycle.</para>
/// <para>Point: <c>X = (h ≫ 33) | 1</c> and <c>Y = (h mod 2^31) | 1</c>, i.e. X = 2a + 1, Y = 2b + 1 with a, b
/// 30 independent bits each (bits 34..63 and 1..30 of h): the centres of a 2^30 × 2^30 grid of cells covering the
/// unit square, scaled by 2^31. A hit is <c>X² + Y² &lt; 2^62</c>, exact in 64-bit integers (X², Y² &lt; 2^62, so the
/// sum never wraps, and <c>(X² + Y²) ≫ 62</c> is 1 exactly for a miss). The only bias is the lattice's: the hit cells
/// differ from the quarter disc's area by at most the ≤ 2·2^30 cells the arc crosses, a relative bias below
/// 8/(π·2^30) ≈ 2.4e-9, far below the statistical error even at 10^13 samples (≈ 1.7e-7 relative).</para>
/// <para>The three code paths (Vector512, Vector256, scalar) compute the same function lane by lane, so they return
/// identical counts; tests pin each one through the <c>path</c> argument.</para>
/// </remarks>
internal static class MonteCarloSampler
{
    /// <summary>The Weyl increment of SplitMix64: 2^64 divided by the golden ratio, odd.</summary>
    internal const ulong Gamma = 0x9E3779B97F4A7C15UL;

    private const ulong Mix1 = 0xBF58476D1CE4E5B9UL;
    private const ulong Mix2 = 0x94D049BB133111EBUL;

    // Fractional bits of sqrt(2) (SHA-512's first IV word): any fixed constant works, this one hides nothing.
    private const ulong SeedSalt = 0x6A09E667F3BCC908UL;

    private const ulong LowMask = 0x7FFFFFFFUL;

    // Samples per unit of work between cancellation checks: about 10 ms on one core.
    private const long Chunk = 1L << 24;

    /// <summary>Which implementation runs.</summary>
    internal enum Path
    {
        /// <summary>The widest hardware-accelerated vectors available.</summary>
        Auto,

        /// <summary>512-bit vectors (8 samples per step).</summary>
        Vector512,

        /// <summary>256-bit vectors (4 samples per step).</summary>
        Vector256,

        /// <summary>Plain 64-bit integer code.</summary>
        Scalar,
    }

    /// <summary>The implementation <see cref="Path.Auto"/> resolves to on this machine.</summary>
    internal static Path HardwarePath =>
        Vector512.IsHardwareAccelerated ? Path.Vector512
        : Vector256.IsHardwareAccelerated ? Path.Vector256
        : Path.Scalar;

    /// <summary>The generator key of a seed.</summary>
    internal static ulong KeyOf(long seed) => Mix(unchecked((ulong)seed) ^ SeedSalt);

    /// <summary>The 64 random bits of sample <paramref name="index"/>.</summary>
    internal static ulong Bits(ulong key, long index) => Mix(unchecked(key + ((ulong)(index + 1) * Gamma)));

    /// <summary>The point of sample <paramref name="index"/>, as odd integers below 2^31 (see remarks).</summary>
    internal static (ulong X, ulong Y) Point(ulong key, long index)
    {
        var h = Bits(key, index);
        return ((h >> 33) | 1, (h & LowMask) | 1);
    }

    /// <summary>Counts hits among samples [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>).</summary>
    /// <param name="key">The generator key, from <see cref="KeyOf"/>.</param>
    /// <param name="start">Index of the first sample.</param>
    /// <param name="count">Number of samples.</param>
    /// <param name="path">Implementation to use; tests pin one, the kernel passes <see cref="Path.Auto"/>.</param>
    /// <param name="cancellationToken">Checked about every 10 ms.</param>
    internal static long CountHits(ulong key, long start, long count, Path path, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        path = path == Path.Auto ? HardwarePath : path;
        long hits = 0;
        for (long done = 0; done < count; done += Chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Math.Min(Chunk, count - done);
            var first = start + done;
            hits += path switch
            {
                Path.Vector512 => CountVector512(key, first, n),
                Path.Vector256 => CountVector256(key, first, n),
                _ => CountScalar(key, first, n),
            };
        }

        return hits;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z = (z ^ (z >> 30)) * Mix1;
            z = (z ^ (z >> 27)) * Mix2;
            return z ^ (z >> 31);
        }
    }

    private static long CountScalar(ulong key, long start, long count)
    {
        unchecked
        {
            var state = key + ((ulong)(start + 1) * Gamma);
            ulong misses = 0;
            for (long i = 0; i < count; i++)
            {
                var h = Mix(state);
                state += Gamma;
                var x = (h >> 33) | 1;
                var y = (h & LowMask) | 1;
                misses += ((x * x) + (y * y)) >> 62;
            }

            return count - (long)misses;
        }
    }

    private static long CountVector512(ulong key, long start, long count)
    {
        const int Lanes = 8;
        const int Unroll = 4;
        var blocks = count / (Lanes * Unroll);
        unchecked
        {
            var first = key + ((ulong)(start + 1) * Gamma);
            var lane = Vector512.Create(0UL, 1, 2, 3, 4, 5, 6, 7) * Gamma;
            var s0 = Vector512.Create(first) + lane;
            var s1 = s0 + Vector512.Create(Lanes * Gamma);
            var s2 = s1 + Vector512.Create(Lanes * Gamma);
            var s3 = s2 + Vector512.Create(Lanes * Gamma);
            var step = Vector512.Create(Lanes * Unroll * Gamma);
            var m0 = Vector512<ulong>.Zero;
            var m1 = Vector512<ulong>.Zero;
            var m2 = Vector512<ulong>.Zero;
            var m3 = Vector512<ulong>.Zero;
            for (long b = 0; b < blocks; b++)
            {
                m0 += Miss512(s0);
                m1 += Miss512(s1);
                m2 += Miss512(s2);
                m3 += Miss512(s3);
                s0 += step;
                s1 += step;
                s2 += step;
                s3 += step;
            }

            var done = blocks * Lanes * Unroll;
            var misses = Vector512.Sum(m0 + m1 + m2 + m3);
            return (done - (long)misses) + CountScalar(key, start + done, count - done);
        }
    }

    // 1 in each lane whose point misses the quarter disc, else 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<ulong> Miss512(Vector512<ulong> state)
    {
        var z = state;
        z = (z ^ Vector512.ShiftRightLogical(z, 30)) * Vector512.Create(Mix1);
        z = (z ^ Vector512.ShiftRightLogical(z, 27)) * Vector512.Create(Mix2);
        z ^= Vector512.ShiftRightLogical(z, 31);
        var one = Vector512<ulong>.One;
        var x = Vector512.ShiftRightLogical(z, 33) | one;
        var y = (z & Vector512.Create(LowMask)) | one;
        Vector512<ulong> sum;
        if (Avx512F.IsSupported)
        {
            // vpmuludq: 32×32→64 multiply, one µop; X and Y fit in 31 bits so it is exact.
            sum = Avx512F.Multiply(x.AsUInt32(), x.AsUInt32()) + Avx512F.Multiply(y.AsUInt32(), y.AsUInt32());
        }
        else
        {
            sum = (x * x) + (y * y);
        }

        return Vector512.ShiftRightLogical(sum, 62);
    }

    private static long CountVector256(ulong key, long start, long count)
    {
        const int Lanes = 4;
        const int Unroll = 4;
        var blocks = count / (Lanes * Unroll);
        unchecked
        {
            var first = key + ((ulong)(start + 1) * Gamma);
            var lane = Vector256.Create(0UL, 1, 2, 3) * Gamma;
            var s0 = Vector256.Create(first) + lane;
            var s1 = s0 + Vector256.Create(Lanes * Gamma);
            var s2 = s1 + Vector256.Create(Lanes * Gamma);
            var s3 = s2 + Vector256.Create(Lanes * Gamma);
            var step = Vector256.Create(Lanes * Unroll * Gamma);
            var m0 = Vector256<ulong>.Zero;
            var m1 = Vector256<ulong>.Zero;
            var m2 = Vector256<ulong>.Zero;
            var m3 = Vector256<ulong>.Zero;
            for (long b = 0; b < blocks; b++)
            {
                m0 += Miss256(s0);
                m1 += Miss256(s1);
                m2 += Miss256(s2);
                m3 += Miss256(s3);
                s0 += step;
                s1 += step;
                s2 += step;
                s3 += step;
            }

            var done = blocks * Lanes * Unroll;
            var misses = Vector256.Sum(m0 + m1 + m2 + m3);
            return (done - (long)misses) + CountScalar(key, start + done, count - done);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<ulong> Miss256(Vector256<ulong> state)
    {
        var z = state;
        z = (z ^ Vector256.ShiftRightLogical(z, 30)) * Vector256.Create(Mix1);
        z = (z ^ Vector256.ShiftRightLogical(z, 27)) * Vector256.Create(Mix2);
        z ^= Vector256.ShiftRightLogical(z, 31);
        var one = Vector256<ulong>.One;
        var x = Vector256.ShiftRightLogical(z, 33) | one;
        var y = (z & Vector256.Create(LowMask)) | one;
        Vector256<ulong> sum;
        if (Avx2.IsSupported)
        {
            sum = Avx2.Multiply(x.AsUInt32(), x.AsUInt32()) + Avx2.Multiply(y.AsUInt32(), y.AsUInt32());
        }
        else
        {
            sum = (x * x) + (y * y);
        }

        return Vector256.ShiftRightLogical(sum, 62);
    }
}
