using System.Runtime.InteropServices;

namespace HpcK8s.Core.Numerics;

/// <summary>Owns one natively allocated, initialised <c>mpz_t</c>; releasing it clears the number and frees the struct.</summary>
internal sealed unsafe class MpzHandle : SafeHandle
{
    /// <summary>Creates an invalid handle; use <see cref="Create"/> (the marshaller needs this constructor).</summary>
    public MpzHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Allocates and initialises a new <c>mpz_t</c> holding zero.</summary>
    public static MpzHandle Create()
    {
        var result = new MpzHandle();
        var memory = (nint)NativeMemory.Alloc((nuint)GmpNative.MpzSize);
        try
        {
            GmpNative.Init(memory);
        }
        catch
        {
            NativeMemory.Free((void*)memory);
            result.SetHandleAsInvalid();
            throw;
        }

        result.SetHandle(memory);
        return result;
    }

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        GmpNative.Clear(handle);
        NativeMemory.Free((void*)handle);
        return true;
    }
}
