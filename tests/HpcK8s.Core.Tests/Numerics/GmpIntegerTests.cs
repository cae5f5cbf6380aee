using System.Globalization;
using System.Numerics;
using HpcK8s.Core.Numerics;

namespace HpcK8s.Core.Tests.Numerics;

public class GmpIntegerTests
{
    private static IEnumerable<BigInteger> Samples()
    {
        var random = new Random(7);
        yield return BigInteger.Zero;
        yield return BigInteger.One;
        yield return BigInteger.MinusOne;
        yield return ulong.MaxValue;
        yield return -(BigInteger)ulong.MaxValue - 1;
        foreach (var bytes in new[] { 3, 8, 9, 17, 100, 1000, 5000 })
        {
            var buffer = new byte[bytes];
            random.NextBytes(buffer);
            var value = new BigInteger(buffer, isUnsigned: true);
            yield return value;
            yield return -value;
        }
    }

    private static GmpInteger ToGmp(BigInteger value)
    {
        var result = new GmpInteger();
        result.ImportMagnitude(BigInteger.Abs(value).ToByteArray(isUnsigned: true), value.Sign < 0);
        return result;
    }

    private static BigInteger FromGmp(GmpInteger value) => BigInteger.Parse(value.ToString(), CultureInfo.InvariantCulture);

    [Fact]
    public void ImportExport_RoundTrips_AndMatchesBigIntegerBytes()
    {
        foreach (var sample in Samples())
        {
            using var value = ToGmp(sample);
            Assert.Equal(BigInteger.Abs(sample).ToByteArray(isUnsigned: true), value.ExportMagnitude().ToArray());
            Assert.Equal(sample.Sign, value.Sign);
            Assert.Equal(sample, FromGmp(value));
        }
    }

    [Fact]
    public void Arithmetic_MatchesBigInteger()
    {
        var samples = Samples().ToList();
        using var result = new GmpInteger();
        foreach (var a in samples)
        {
            foreach (var b in samples)
            {
                using var x = ToGmp(a);
                using var y = ToGmp(b);
                result.SetProduct(x, y);
                Assert.Equal(a * b, FromGmp(result));
                result.Set(17UL);
                result.AddProduct(x, y);
                Assert.Equal(17 + (a * b), FromGmp(result));
                if (!b.IsZero)
                {
                    result.SetQuotient(x, y);
                    Assert.Equal(BigInteger.Divide(a, b), FromGmp(result));
                }

                Assert.Equal(a.CompareTo(b), x.CompareTo(y));
            }
        }
    }

    [Fact]
    public void SmallSetters_MatchBigInteger()
    {
        using var value = new GmpInteger();
        value.Set(UInt128.MaxValue);
        Assert.Equal((BigInteger)UInt128.MaxValue, FromGmp(value));
        value.Set((UInt128)12345);
        Assert.Equal(12345, FromGmp(value));
        value.SetProduct(value, ulong.MaxValue);
        Assert.Equal(12345 * (BigInteger)ulong.MaxValue, FromGmp(value));
        value.Negate();
        Assert.Equal(-12345 * (BigInteger)ulong.MaxValue, FromGmp(value));
        value.SetPower(10, 50);
        Assert.Equal(BigInteger.Pow(10, 50), FromGmp(value));
        using var copy = new GmpInteger(3);
        copy.Set(value);
        Assert.Equal(0, copy.CompareTo(value));
    }

    [Fact]
    public void SetSquareRoot_MatchesManagedSqrt()
    {
        using var root = new GmpInteger();
        foreach (var sample in Samples().Where(s => s.Sign >= 0))
        {
            using var value = ToGmp(sample);
            root.SetSquareRoot(value);
            Assert.Equal(BigIntegerMath.Sqrt(sample), FromGmp(root));
        }

        using var negative = ToGmp(-4);
        Assert.Throws<ArgumentOutOfRangeException>(() => root.SetSquareRoot(negative));
    }

    [Fact]
    public void SetQuotient_ByZero_Throws()
    {
        using var one = new GmpInteger(1);
        using var zero = new GmpInteger();

        Assert.Throws<DivideByZeroException>(() => one.SetQuotient(one, zero));
    }

    [Fact]
    public void Dispose_Twice_IsHarmless_AndUseAfterwardThrows()
    {
        var value = new GmpInteger(5);
        value.Dispose();
        value.Dispose();

        Assert.Throws<ObjectDisposedException>(() => value.Set(1UL));
        Assert.Throws<ObjectDisposedException>(() => value.Sign);
    }
}
