using System.Diagnostics;
using System.Globalization;
using HpcK8s.Cli.Running;
using Spectre.Console;

namespace HpcK8s.Cli.Commands;

/// <summary>
/// Shows a job's progress on standard error: a live bar when it is a terminal, otherwise (text output only)
/// one plain line every few seconds so that logs stay readable. Standard output is left to the result.
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<RunReport> RunAsync(string title, bool interactive, TextWriter? plain, Func<Action<ShardProgress>, Task<RunReport>> run)
    {
        if (!interactive)
        {
            var clock = Stopwatch.StartNew();
            var last = TimeSpan.Zero;
            return await run(p =>
            {
                if (plain is null || clock.Elapsed - last < PlainInterval)
                {
                    return;
                }

                lock (clock)
                {
                    last = clock.Elapsed;
                    plain.WriteLine($"{title}: {Describe(p, clock.Elapsed)}");
                }
            });
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        RunReport? report = null;
        await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title);
                var clock = Stopwatch.StartNew();
                report = await run(p =>
                {
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Succeeded;
                    task.Description = $"{title} {Describe(p, clock.Elapsed)}";
                });
                task.Value = task.MaxValue;
            });
        return report!;
    }

    private static string Describe(ShardProgress p, TimeSpan elapsed)
    {
        var done = p.Succeeded;
        var rate = elapsed.TotalSeconds > 0 ? (done - p.Resumed) / elapsed.TotalSeconds : 0;
        var eta = rate > 0 ? TimeSpan.FromSeconds((p.Total - done) / rate) : (TimeSpan?)null;
        var text = string.Create(CultureInfo.InvariantCulture, $"{done}/{p.Total} shards, {p.Running} in flight, {rate:0.##} shards/s");
        return eta is { } e && done < p.Total ? text + $", ETA {e:hh\\:mm\\:ss}" : text;
    }
}
