namespace HpcK8s.Core.Kernels.PiDigits;

/// <summary>Which big-integer arithmetic the <see cref="PiDigitsKernel"/> uses.</summary>
public enum PiDigitsArithmetic
{
    /// <summary>GMP when <c>libgmp.so.10</c> loads, otherwise the managed fallback (up to <see cref="PiDigitsKernel.ManagedMaxDigits"/> digits).</summary>
    Auto = 0,

    /// <summary>GMP only; fails with install instructions when it cannot be loaded.</summary>
    Gmp = 1,

    /// <summary><see cref="System.Numerics.BigInteger"/> only, up to <see cref="PiDigitsKernel.ManagedMaxDigits"/> digits.</summary>
    Managed = 2,
}
