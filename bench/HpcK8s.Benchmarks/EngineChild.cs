using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using HpcK8s.Core.Kernels;

namespace HpcK8s.Benchmarks;

/// <summary>Runs engine benchmark jobs in a fresh child process, so that peak memory and JIT state belong to that run
/// alone. The child is this program with <c>engine-run</c> arguments; it prints one JSON <see cref="EngineRunResult"/>.</summary>
internal static class EngineChild
{
    public const string Command = "engine-run";

    /// <summary>Runs <paramref name="children"/> children one after another and returns the fastest run: other
    /// processes on the machine can only slow a run down, so the best of a few is the least disturbed.</summary>
    public static EngineRunResult Best(int children, string kernel, int shards, int workers, int milliseconds = 0, int warmupShards = 0) =>
        Enumerable.Range(0, children).Select(_ => Run(kernel, shards, workers, milliseconds, warmupShards)).MinBy(r => r.WallSeconds)!;

    /// <summary>Starts the child and returns what it measured.</summary>
    public static EngineRunResult Run(string kernel, int shards, int workers, int milliseconds = 0, int warmupShards = 0, bool measureHistories = false)
    {
        var inv = CultureInfo.InvariantCulture;
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot tell which program this is");
        var info = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var arg in new[] { Command, kernel, shards.ToString(inv), workers.ToString(inv), milliseconds.ToString(inv), warmupShards.ToString(inv), measureHistories ? "1" : "0" })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {self}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"engine benchmark child exited {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }

        var last = stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        return JsonSerializer.Deserialize<EngineRunResult>(last) ?? throw new InvalidOperationException("engine benchmark child printed null");
    }

    /// <summary>The child's side: runs the job and prints the result.</summary>
    public static int RunChild(string[] args)
    {
        var inv = CultureInfo.InvariantCulture;
        IComputeKernel kernel = args[0] switch
        {
            "noop" => new NoopKernel(),
            "burn" => new BurnKernel(),
            _ => throw new ArgumentException($"unknown benchmark kernel '{args[0]}'", nameof(args)),
        };
        var shards = int.Parse(args[1], inv);
        var workers = int.Parse(args[2], inv);
        var parameters = new Dictionary<string, string> { ["milliseconds"] = args[3] };
        var warmup = int.Parse(args[4], inv);
        if (warmup > 0)
        {
            EngineJob.Run(kernel, warmup, workers, parameters);
        }

        var result = EngineJob.Run(kernel, shards, workers, parameters, measureHistories: args[5] == "1");
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }
}
