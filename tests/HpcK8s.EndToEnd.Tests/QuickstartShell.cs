using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using HpcK8s.Testing.Docs;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>
/// One long-lived bash, like the terminal a reader of the quick start types into: each step's code block is run in it
/// verbatim (sourced, so its exports, such as the CLI's PATH and DAPR_API_TOKEN, last for the steps after it), under
/// <c>set -eo pipefail</c>, from the repository root. A failing command ends the shell and fails the step with its output.
/// </summary>
public sealed class QuickstartShell : IAsyncDisposable
{
    private const string DoneMarker = "__HPCK8S_STEP_DONE__";
    private readonly QuickstartDocument _page;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private readonly string _scripts;
    private readonly Action<string> _log;
    private readonly Process _bash;
    private readonly Channel<string> _stdout = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _stderr = new();
    private readonly SemaphoreSlim _turn = new(1, 1);
    private int _scriptCount;

    private QuickstartShell(QuickstartDocument page, IReadOnlyDictionary<string, string?> environment, string scratch, Action<string> log)
    {
        _page = page;
        _environment = environment;
        _scripts = Directory.CreateDirectory(Path.Combine(scratch, "steps")).FullName;
        _log = log;
        _bash = Process.Start(StartInfo("--noprofile", "--norc")) ?? throw new InvalidOperationException("could not start bash");
        _bash.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }

                _log("  ! " + e.Data);
            }
        };
        _bash.BeginErrorReadLine();
        _ = Task.Run(ReadStdoutAsync);
        _bash.StandardInput.WriteLine("set -eo pipefail");
        _bash.StandardInput.Flush();
    }

    /// <summary>The steps run so far, verbatim.</summary>
    public ISet<string> Ran { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Starts the shell with <paramref name="environment"/> (a null value removes a variable).</summary>
    public static QuickstartShell Start(QuickstartDocument page, IReadOnlyDictionary<string, string?> environment, string scratch, Action<string> log) =>
        new(page, environment, scratch, log);

    /// <summary>Runs step <paramref name="step"/>'s block as written; returns what it printed on standard output.</summary>
    public async Task<string> RunStepAsync(string step, TimeSpan timeout)
    {
        var output = await RunScriptAsync(_page.Step(step).Text, $"step {step}", timeout);
        Ran.Add(step);
        return output;
    }

    /// <summary>Runs a script of the suite's own in the same shell (its variables, its PATH).</summary>
    public async Task<string> RunScriptAsync(string script, string what, TimeSpan timeout)
    {
        await _turn.WaitAsync();
        try
        {
            var file = Path.Combine(_scripts, $"{Interlocked.Increment(ref _scriptCount):D2}.sh");
            await File.WriteAllTextAsync(file, script + "\n");
            _log($"$ [{what}]\n{Indent(script)}");
            var started = Stopwatch.StartNew();

            // stdin from /dev/null: a command that reads its input must not eat the next step.
            await _bash.StandardInput.WriteLineAsync($"source '{file}' </dev/null; printf '\\n{DoneMarker}\\n'");
            await _bash.StandardInput.FlushAsync();
            var output = new StringBuilder();
            using var cancel = new CancellationTokenSource(timeout);
            try
            {
                while (true)
                {
                    if (!await _stdout.Reader.WaitToReadAsync(cancel.Token))
                    {
                        await _bash.WaitForExitAsync(CancellationToken.None);
                        throw new InvalidOperationException(
                            $"{what} failed (the shell exited with {_bash.ExitCode}).\n--- stdout\n{output}--- stderr (last lines)\n{StderrTail()}");
                    }

                    var line = await _stdout.Reader.ReadAsync(cancel.Token);
                    if (line == DoneMarker)
                    {
                        _log($"  ({what}: {started.Elapsed.TotalSeconds:0.0} s)");
                        return output.ToString().TrimEnd('\n');
                    }

                    output.AppendLine(line);
                    _log("  " + line);
                }
            }
            catch (OperationCanceledException)
            {
                _bash.Kill(entireProcessTree: true);
                throw new TimeoutException($"{what} did not finish within {timeout}.\n--- stdout\n{output}--- stderr (last lines)\n{StderrTail()}");
            }
        }
        finally
        {
            _turn.Release();
        }
    }

    /// <summary>Runs a step that never ends by itself (<c>kubectl get -w</c>) in its own bash, until a line of its
    /// output satisfies <paramref name="until"/>; returns the output up to that line.</summary>
    public async Task<string> RunStepUntilAsync(string step, Func<string, bool> until, TimeSpan timeout)
    {
        await using var run = await StartStepAsync(step, until, timeout);
        return run.Output;
    }

    /// <summary>Starts a step that keeps running (<c>kubectl port-forward</c>) in its own bash and returns once a line of
    /// its output satisfies <paramref name="ready"/>; disposing the result stops it.</summary>
    public async Task<BackgroundStep> StartStepAsync(string step, Func<string, bool> ready, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(ready);
        var script = _page.Step(step).Text;
        _log($"$ [step {step}, in the background]\n{Indent(script)}");
        var process = Process.Start(StartInfo("--noprofile", "--norc", "-eo", "pipefail", "-c", script)) ?? throw new InvalidOperationException("could not start bash");
        process.StandardInput.Close();
        var background = new BackgroundStep(process, _log);
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await background.WaitForAsync(ready, cancel.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException)
        {
            var output = background.Output;
            await background.DisposeAsync();
            throw new InvalidOperationException($"step {step} did not print the expected line within {timeout}.\n--- output\n{output}", e);
        }

        Ran.Add(step);
        return background;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_bash.HasExited)
            {
                _bash.StandardInput.Close();
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _bash.WaitForExitAsync(timeout.Token);
            }
        }
        catch (OperationCanceledException)
        {
            _bash.Kill(entireProcessTree: true);
        }
        finally
        {
            _bash.Dispose();
            _turn.Dispose();
        }
    }

    private ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in _environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return start;
    }

    private async Task ReadStdoutAsync()
    {
        while (await _bash.StandardOutput.ReadLineAsync() is { } line)
        {
            await _stdout.Writer.WriteAsync(line);
        }

        _stdout.Writer.TryComplete();
    }

    private string StderrTail()
    {
        lock (_stderr)
        {
            var lines = _stderr.ToString().Split('\n');
            return string.Join('\n', lines.TakeLast(60));
        }
    }

    private static string Indent(string script) => string.Join('\n', script.Split('\n').Select(l => "    " + l));
}
