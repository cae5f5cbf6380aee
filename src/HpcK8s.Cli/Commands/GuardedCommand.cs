using System.CommandLine;

namespace HpcK8s.Cli.Commands;

/// <summary>What the cluster and ledger commands do around their work: one line per failure on standard error, prefixed with
/// the command, with the failure's exit code; Ctrl-C is exit 130.</summary>
internal static class GuardedCommand
{
    public static async Task<int> RunAsync(ParseResult parse, string verb, Func<TextWriter, TextWriter, Task<int>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(parse);
        ArgumentNullException.ThrowIfNull(work);
        var (output, error) = (parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
        try
        {
            return await work(output, error).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            error.WriteLine($"{verb}: {e.Message}");
            return e.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine($"{verb}: interrupted");
            return ExitCodes.Interrupted;
        }
    }

    /// <summary>Whether both output streams are the terminal, so that a live display can be drawn.</summary>
    public static bool IsInteractive(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return ReferenceEquals(parse.InvocationConfiguration.Output, Console.Out) && ReferenceEquals(parse.InvocationConfiguration.Error, Console.Error)
            && !Console.IsOutputRedirected && !Console.IsErrorRedirected;
    }

    /// <summary>The <c>--timeout</c> option of the commands that follow a job.</summary>
    public static Option<string?> TimeoutOption()
    {
        var timeout = new Option<string?>("--timeout") { Description = "Stop following after this long (30s, 10m, 1h30m); exit 124 if the job has not finished", HelpName = "DURATION" };
        timeout.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is { } text && (!Core.Manifests.Durations.TryParse(text, out var value) || value <= TimeSpan.Zero))
            {
                r.AddError($"--timeout must be {Core.Manifests.Durations.Expected}, more than zero (got '{text}')");
            }
        });
        return timeout;
    }

    /// <summary>The value of a validated <see cref="TimeoutOption"/>.</summary>
    public static TimeSpan? Timeout(ParseResult parse, Option<string?> option)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(option) is { } text && Core.Manifests.Durations.TryParse(text, out var value) ? value : null;
    }
}
