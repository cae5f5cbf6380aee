using System.Runtime.InteropServices;

namespace HpcK8s.Core.Numerics;

/// <summary>Whether the system GMP library (<c>libgmp.so.10</c>) can be used in this process.</summary>
/// <remarks>Probed once, on first use. Install it on Debian/Ubuntu with <c>apt-get install libgmp10</c>.</remarks>
public static class GmpLibrary
{
    private static readonly Lazy<(bool Available, string? Error, string? Version)> Probe = new(ProbeLibrary);

    /// <summary>The shared library's file name.</summary>
    public const string LibraryName = GmpNative.LibraryName;

    /// <summary>How to install the library, for error messages.</summary>
    public const string InstallHint = "install GMP on this machine (Debian/Ubuntu: apt-get install libgmp10; Fedora/RHEL: dnf install gmp; Alpine: apk add gmp)";

    /// <summary>True when the library loaded and exports the mpz functions used here.</summary>
    public static bool IsAvailable => Probe.Value.Available;

    /// <summary>Why the library could not be used; null when it is available.</summary>
    public static string? LoadError => Probe.Value.Error;

    /// <summary>GMP's version string (<c>gmp_version</c>, e.g. <c>6.3.0</c>); null when unavailable.</summary>
    public static string? Version => Probe.Value.Version;

    private static unsafe (bool, string?, string?) ProbeLibrary()
    {
        if (!NativeLibrary.TryLoad(LibraryName, typeof(GmpLibrary).Assembly, null, out var library))
        {
            return (false, $"{LibraryName} could not be loaded", null);
        }

        string[] required = ["__gmpz_init", "__gmpz_clear", "__gmpz_mul", "__gmpz_addmul", "__gmpz_sqrt", "__gmpz_tdiv_q", "__gmpz_get_str", "__gmpz_export", "__gmpz_import"];
        var missing = required.Where(name => !NativeLibrary.TryGetExport(library, name, out _)).ToList();
        if (missing.Count > 0)
        {
            return (false, $"{LibraryName} does not export {string.Join(", ", missing)}", null);
        }

        // gmp_version is a `const char* const` variable; the export is the address of that pointer.
        string? version = null;
        if (NativeLibrary.TryGetExport(library, "__gmp_version", out var versionAddress))
        {
            version = Marshal.PtrToStringAnsi(*(nint*)versionAddress);
        }

        return (true, null, version);
    }
}
