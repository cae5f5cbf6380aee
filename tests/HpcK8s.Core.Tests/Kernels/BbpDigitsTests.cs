using System.Numerics;
using HpcK8s.Core.Kernels.Bbp;

namespace HpcK8s.Core.Tests.Kernels;

public class BbpDigitsTests
{
    [Fact]
    public void Digits_FirstEight_Are243f6a88()
    {
        Assert.Equal("243f6a88", BbpDigits.Digits(1, 8, CancellationToken.None));
    }

    [Fact]
    public void Digits_Positions1To2048_MatchBc()
    {
        Assert.Equal(BcPiHexDigits.Digits, BbpDigits.Digits(1, BcPiHexDigits.Count, CancellationToken.None));
    }

    // Every evaluation on its own (all the digits it keeps), at every position up to 2048 - 24: any single wrong
    // digit, guard decision or tail term shows up here.
    [Fact]
    public void Evaluation_AtEveryPosition_KeptDigitsMatchBc()
    {
        for (long position = 1; position <= BcPiHexDigits.Count - BbpDigits.DigitsPerEvaluation; position++)
        {
            var fraction = BbpDigits.FractionOfPiTimes16Pow(position - 1, allowVector: true, out var error, CancellationToken.None);
            var safe = BbpDigits.SafeDigitCount(fraction, error);
            Assert.InRange(safe, 1, BbpDigits.DigitsPerEvaluation);
            var hex = ((fraction >> (128 - (4 * safe))).ToString("x", null)).PadLeft(safe, '0');
            Assert.Equal(BcPiHexDigits.At(position, safe), hex);
        }
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(3L)]
    [InlineData(4L)]
    [InlineData(5L)]
    [InlineData(7L)]
    [InlineData(8L)]
    [InlineData(9L)]
    [InlineData(1000L)]
    [InlineData(12_345L)]
    [InlineData(100_003L)]
    [InlineData(300_002L)]
    public void FractionOfPiTimes16Pow_VectorAndScalar_AreBitIdentical(long n)
    {
        var vector = BbpDigits.FractionOfPiTimes16Pow(n, allowVector: true, out var vectorError, CancellationToken.None);
        var scalar = BbpDigits.FractionOfPiTimes16Pow(n, allowVector: false, out var scalarError, CancellationToken.None);
        Assert.Equal(scalar, vector);
        Assert.Equal(scalarError, vectorError);
    }

    // Published values, each checked by two routes: Bailey, "The BBP Algorithm for Pi" (2006), table of hex digits
    // "beginning at position" 10^6 and 10^7 (1-based, as here; the brief's digits from position 1,000,001,
    // 6c65e52cb4593…, agree), and for 10^7 M. VandeWettering's independent BBP run (brainwagon.org, 2007: 0-based
    // digit 10^7 onward = 7af5863efe…). Each is also computed here at p and p − 1, two independent evaluations
    // whose digits must overlap exactly.
    [Theory]
    [InlineData(1_000_000L, "26c65e52cb4593")]
    [InlineData(10_000_000L, "17af5863efed8d")]
    public void Digits_FarPositions_MatchPublishedValues(long position, string published)
    {
        var here = BbpDigits.Digits(position, published.Length, CancellationToken.None);
        var before = BbpDigits.Digits(position - 1, published.Length + 1, CancellationToken.None);
        Assert.Equal(published, here);
        Assert.Equal(published, before[1..]);
    }

    // The largest moduli (k near the supported maximum) through both paths, without summing all the terms before.
    [Theory]
    [InlineData(BbpDigits.MaxEvaluationPosition - 1, 4000L)]
    [InlineData(123_456_789L, 400L)]
    public void Sum_VectorAndScalar_AgreeOnTheLargestModuli(long n, long span)
    {
        var start = (n - span) & ~3L;
        var end = n & ~3L;
        var vector = BbpVector512.IsSupported ? BbpVector512.Sum(n, start, end, CancellationToken.None) : BbpDigits.SumScalar(n, start, end, CancellationToken.None);
        Assert.Equal(BbpDigits.SumScalar(n, start, end, CancellationToken.None), vector);
    }

    [Fact]
    public void PowMod2_MatchesBigInteger_UpToTheLargestModulus()
    {
        var random = new Random(1);
        var largest = (8 * (BbpDigits.MaxEvaluationPosition - 2)) + 5;
        Assert.True(largest < 1L << 31);
        for (var i = 0; i < 2000; i++)
        {
            var m = i < 10 ? (ulong)largest - (2 * (ulong)i) : (ulong)random.NextInt64(1, 1L << 30) * 2 + 1;
            var e = (ulong)random.NextInt64(0, 4 * BbpDigits.MaxEvaluationPosition);
            Assert.Equal((ulong)BigInteger.ModPow(2, e, m), BbpDigits.PowMod2(e, m));
        }

        Assert.Equal(0UL, BbpDigits.PowMod2(12345, 1));
        Assert.Equal(1UL, BbpDigits.PowMod2(0, 7));
    }

    [Fact]
    public void Fraction_MatchesBigInteger()
    {
        var random = new Random(2);
        for (var i = 0; i < 2000; i++)
        {
            var m = (ulong)random.NextInt64(1, (1L << 31) - 1);
            var r = (ulong)random.NextInt64(0, (long)m);
            var expected = (BigInteger.One << 128) * r / m;
            Assert.Equal(expected, (BigInteger)BbpDigits.Fraction(r, m));
        }
    }

    [Fact]
    public void SafeDigitCount_NearADigitBoundary_KeepsOnlyProvenDigits()
    {
        // 0.123456789abcdef0123456789 (hex) far from any boundary: all 24 digits are safe.
        var clear = UInt128.Parse("123456789abcdef012345678_9abcdef0".Replace("_", ""), System.Globalization.NumberStyles.HexNumber);
        Assert.Equal(24, BbpDigits.SafeDigitCount(clear, 1000));

        // Digits 21..24 are 'ffff' and the guard is within the error of rolling over, which would carry into digit 20
        // ('4' could really be '5'): only 19 digits are certain.
        var rolling = UInt128.Parse("123456789abcdef01234ffff_ffffff00".Replace("_", ""), System.Globalization.NumberStyles.HexNumber);
        Assert.Equal(19, BbpDigits.SafeDigitCount(rolling, 0x1000));

        // Just above a boundary (…0000 then a tiny guard) within the error: the digit before it is uncertain too.
        var justAbove = UInt128.Parse("12345678000000000000000000000010", System.Globalization.NumberStyles.HexNumber);
        Assert.Equal(7, BbpDigits.SafeDigitCount(justAbove, 0x100));

        // Nothing can be proven when every digit sits at a boundary.
        Assert.Equal(0, BbpDigits.SafeDigitCount(UInt128.Zero, 1));
    }

    [Fact]
    public void Digits_Cancelled_Throws()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.Throws<OperationCanceledException>(() => BbpDigits.Digits(100_000, 8, cts.Token));
    }
}
