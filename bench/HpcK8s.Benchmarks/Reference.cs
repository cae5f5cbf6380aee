using System.Diagnostics;
using System.Runtime.InteropServices;

namespace HpcK8s.Benchmarks;

/// <summary>Builds and runs reference programs (C, built from source in the run) and measures them.</summary>
internal static class Reference
{
    /// <summary>Compiles <c>bench/reference/NAME.c</c> with <c>gcc -O3 -march=native</c> plus extra flags.</summary>
    public static string BuildC(ComparisonContext context, string name, string extraFlags = "")
    {
        Directory.CreateDirectory(context.OutDir);
        var source = Path.Combine(context.RepoRoot, "bench", "reference", name + ".c");
        var output = Path.Combine(context.OutDir, name);
        Run("gcc", $"-O3 -march=native -o {output} {source} {extraFlags}", out _);
        return output;
    }

    /// <summary>Runs a program; returns its wall time and CPU time (user + system) in seconds.</summary>
    public static (double WallSeconds, double CpuSeconds) Run(string program, string arguments, out string stdout)
    {
        var info = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var childCpuBefore = ChildrenCpuSeconds();
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var outTask = process.StandardOutput.ReadToEndAsync();
        var errTask = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        clock.Stop();
        stdout = outTask.Result;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {arguments} exited {process.ExitCode}: {errTask.Result}");
        }

        // Process.TotalProcessorTime throws once a Linux child has been reaped (its /proc entry is gone), so the
        // child's CPU time comes from getrusage(RUSAGE_CHILDREN), which accounts reaped children.
        return (clock.Elapsed.TotalSeconds, ChildrenCpuSeconds() - childCpuBefore);
    }

    private static double ChildrenCpuSeconds()
    {
        const int RusageChildren = -1;

        // struct rusage starts with ru_utime and ru_stime, each { long tv_sec; long tv_usec; } on LP64 Linux.
        var usage = new long[32];
        if (GetRusage(RusageChildren, usage) != 0)
        {
            return double.NaN;
        }

        return usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6);
    }

    // DllImport rather than LibraryImport: the latter needs unsafe code enabled for this project.
    [DllImport("libc", EntryPoint = "getrusage")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int GetRusage(int who, [Out] long[] usage);

    /// <summary>Measures an in-process action: wall time and this process's CPU time (all threads), in seconds.</summary>
    public static (double WallSeconds, double CpuSeconds) Measure(Action action)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        action();
        clock.Stop();
        process.Refresh();
        return (clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpuBefore).TotalSeconds);
    }
}
