using System.Runtime.InteropServices;

namespace HpcK8s.Core.Numerics;

/// <summary>P/Invoke declarations for the mpz functions of the system GMP library.</summary>
/// <remarks>
/// <para>The C API's <c>mpz_xxx</c> names are macros for the exported symbols <c>__gmpz_xxx</c>.
/// An <c>mpz_t</c> is <c>{ int alloc; int size; mp_limb_t* d; }</c>, 16 bytes on 64-bit platforms; the sign
/// of <c>size</c> is the sign of the number.</para>
/// <para>GMP's <c>unsigned long</c> (also <c>mp_bitcnt_t</c>) is declared as <see cref="nuint"/>: libgmp.so.10
/// is an LP64/ILP32 Linux library, where <c>unsigned long</c> is pointer-sized.</para>
/// </remarks>
internal static unsafe partial class GmpNative
{
    /// <summary>The shared library's file name (the Debian/Ubuntu package <c>libgmp10</c>).</summary>
    public const string LibraryName = "libgmp.so.10";

    /// <summary>Size of an <c>mpz_t</c> struct.</summary>
    public static readonly int MpzSize = (2 * sizeof(int)) + IntPtr.Size;

    /// <summary>Offset of the <c>_mp_size</c> field in an <c>mpz_t</c>.</summary>
    public const int SizeFieldOffset = sizeof(int);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_init")]
    internal static partial void Init(nint rop);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_clear")]
    internal static partial void Clear(nint rop);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_set")]
    internal static partial void Set(MpzHandle rop, MpzHandle op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_set_ui")]
    internal static partial void SetUi(MpzHandle rop, nuint op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_neg")]
    internal static partial void Neg(MpzHandle rop, MpzHandle op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mul")]
    internal static partial void Mul(MpzHandle rop, MpzHandle op1, MpzHandle op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mul_ui")]
    internal static partial void MulUi(MpzHandle rop, MpzHandle op1, nuint op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_mul_2exp")]
    internal static partial void Mul2Exp(MpzHandle rop, MpzHandle op1, nuint op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_add_ui")]
    internal static partial void AddUi(MpzHandle rop, MpzHandle op1, nuint op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_addmul")]
    internal static partial void AddMul(MpzHandle rop, MpzHandle op1, MpzHandle op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_tdiv_q")]
    internal static partial void TDivQ(MpzHandle q, MpzHandle n, MpzHandle d);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_sqrt")]
    internal static partial void Sqrt(MpzHandle rop, MpzHandle op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_ui_pow_ui")]
    internal static partial void UiPowUi(MpzHandle rop, nuint @base, nuint exp);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_cmp")]
    internal static partial int Cmp(MpzHandle op1, MpzHandle op2);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_sizeinbase")]
    internal static partial nuint SizeInBase(MpzHandle op, int @base);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_get_str")]
    internal static partial byte* GetStr(byte* str, int @base, MpzHandle op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_export")]
    internal static partial void* Export(void* rop, nuint* countp, int order, nuint size, int endian, nuint nails, MpzHandle op);

    [LibraryImport(LibraryName, EntryPoint = "__gmpz_import")]
    internal static partial void Import(MpzHandle rop, nuint count, int order, nuint size, int endian, nuint nails, void* op);
}
