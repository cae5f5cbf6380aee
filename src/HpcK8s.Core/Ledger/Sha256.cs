using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HpcK8s.Core.Ledger;

/// <summary>SHA-256 for the ledger's many small inputs (entries of ~100 bytes, 65-byte Merkle nodes).</summary>
/// <remarks>
/// <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> costs about 450 ns per call on Linux whatever the
/// input size (OpenSSL 3 sets up an EVP context and provider lookup every time), which caps verification at a few
/// hundred MB/s. On Linux, when OpenSSL's libcrypto.so.3 exports the classic <c>SHA256_Init/Update/Final</c> (the same
/// library and the same SHA-NI code .NET itself uses), those are called directly: about 110 ns for a 130-byte entry.
/// The fast path is checked against <see cref="SHA256"/> on start and dropped if it disagrees or is missing.
/// Large inputs always go through <see cref="SHA256"/>.
/// </remarks>
internal static unsafe class Sha256
{
    // Above this the per-call overhead no longer matters, and the suppressed GC transition should stay short.
    private const int NativeLimit = 4096;

    private static readonly NativeSha? Native = NativeSha.TryLoad();

    /// <summary>Whether the direct libcrypto path is in use (for the benchmark report).</summary>
    internal static bool IsNative => Native is not null && UseNative;

    /// <summary>Lets tests compare both paths; true by default.</summary>
    internal static bool UseNative { get; set; } = true;

    public static Hash256 Hash(ReadOnlySpan<byte> data)
    {
        Span<byte> digest = stackalloc byte[Hash256.Size];
        Hash(data, digest);
        return new Hash256(digest);
    }

    public static void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        if (Native is not null && UseNative && data.Length <= NativeLimit)
        {
            Native.Hash(data, digest);
        }
        else
        {
            SHA256.HashData(data, digest);
        }
    }

    private sealed class NativeSha
    {
        // SHA256_CTX is 112 bytes in every OpenSSL since 0.9.8; leave headroom.
        private const int ContextSize = 256;

        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int> _init;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int> _update;
        private readonly delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int> _final;

        private NativeSha(nint init, nint update, nint final)
        {
            _init = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, int>)init;
            _update = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, nuint, int>)update;
            _final = (delegate* unmanaged[Cdecl, SuppressGCTransition]<byte*, byte*, int>)final;
        }

        public static NativeSha? TryLoad()
        {
            if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad("libcrypto.so.3", out var library))
            {
                return null;
            }

            if (!NativeLibrary.TryGetExport(library, "SHA256_Init", out var init)
                || !NativeLibrary.TryGetExport(library, "SHA256_Update", out var update)
                || !NativeLibrary.TryGetExport(library, "SHA256_Final", out var final))
            {
                return null;
            }

            var native = new NativeSha(init, update, final);
            return native.AgreesWithFramework() ? native : null;
        }

        public void Hash(ReadOnlySpan<byte> data, Span<byte> digest)
        {
            var context = stackalloc byte[ContextSize];
            fixed (byte* input = data)
            fixed (byte* output = digest)
            {
                if (_init(context) != 1 || _update(context, input, (nuint)data.Length) != 1 || _final(output, context) != 1)
                {
                    throw new CryptographicException("libcrypto SHA-256 failed");
                }
            }
        }

        private bool AgreesWithFramework()
        {
            var data = new byte[300];
            for (var i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 7);
            }

            Span<byte> ours = stackalloc byte[32];
            Span<byte> theirs = stackalloc byte[32];
            foreach (var length in new[] { 0, 1, 55, 56, 64, 65, 130, 300 })
            {
                Hash(data.AsSpan(0, length), ours);
                SHA256.HashData(data.AsSpan(0, length), theirs);
                if (!ours.SequenceEqual(theirs))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
