using System.Runtime.InteropServices;

namespace HpcK8s.Benchmarks;

/// <summary>libc calls the harness needs.</summary>
internal static class NativeMethods
{
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
#pragma warning disable SYSLIB1054 // LibraryImport needs AllowUnsafeBlocks; one blittable call does not justify it.
    internal static extern int getrusage(int who, [Out] long[] usage);
#pragma warning restore SYSLIB1054
}
