using System.Diagnostics;

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
        var childrenBefore = ChildrenCpuSeconds();
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

        // On Unix an exited child's /proc entry is gone, so Process.TotalProcessorTime throws; the kernel's count for
        // reaped children (getrusage RUSAGE_CHILDREN) is exact instead.
        var cpu = childrenBefore is { } before ? ChildrenCpuSeconds()!.Value - before : process.TotalProcessorTime.TotalSeconds;
        return (clock.Elapsed.TotalSeconds, cpu);
    }

    // User + system CPU seconds of all reaped child processes, or null where getrusage is not available.
    private static double? ChildrenCpuSeconds()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        // struct rusage on 64-bit Linux: ru_utime and ru_stime (timeval: seconds, microseconds), then 14 longs.
        var usage = new long[18];
        if (NativeMethods.getrusage(-1 /* RUSAGE_CHILDREN */, usage) != 0)
        {
            throw new InvalidOperationException("getrusage(RUSAGE_CHILDREN) failed");
        }

        return usage[0] + (usage[1] / 1e6) + usage[2] + (usage[3] / 1e6);
    }

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
