using System.Numerics;
using HpcK8s.Core.Numerics;

namespace HpcK8s.Core.Tests.Numerics;

public class BigIntegerMathTests
{
    [Fact]
    public void Sqrt_SmallValues_AreExactFloors()
    {
        for (var n = 0; n < 2000; n++)
        {
            var root = BigIntegerMath.Sqrt(n);
            Assert.True(root * root <= n && (root + 1) * (root + 1) > n, $"sqrt({n}) = {root}");
        }
    }

    [Fact]
    public void Sqrt_AroundSquares_IsExactFloor()
    {
        var random = new Random(11);
        foreach (var bytes in new[] { 4, 8, 9, 16, 33, 200, 2000 })
        {
            var buffer = new byte[bytes];
            random.NextBytes(buffer);
            var r = new BigInteger(buffer, isUnsigned: true);
            var square = r * r;
            Assert.Equal(r, BigIntegerMath.Sqrt(square));
            Assert.Equal(r - 1, BigIntegerMath.Sqrt(square - 1));
            Assert.Equal(r, BigIntegerMath.Sqrt(square + (2 * r)));
        }

        Assert.Equal((BigInteger)ulong.MaxValue, BigIntegerMath.Sqrt((BigInteger)ulong.MaxValue * ulong.MaxValue));
        Assert.Equal(uint.MaxValue, BigIntegerMath.Sqrt(ulong.MaxValue));
    }

    [Fact]
    public void Sqrt_Negative_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => BigIntegerMath.Sqrt(-1));
    }
}
