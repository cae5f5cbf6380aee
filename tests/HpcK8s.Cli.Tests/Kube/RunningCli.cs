namespace HpcK8s.Cli.Tests.Kube;

/// <summary>A CLI invocation running in the background (watch), with what it printed so far; the test bed that
/// started it interrupts and disposes it.</summary>
internal sealed class RunningCli : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly CancellationTokenSource _interrupt = new();

    public RunningCli(string[] args, TextReader input)
    {
        Exit = Task.Run(() => CliApp.RunAsync(args, input, Out, Err, Core.Kernels.KernelRegistry.BuiltIn, _interrupt.Token));
    }

    public ConcurrentWriter Out { get; } = new();

    public ConcurrentWriter Err { get; } = new();

    public Task<int> Exit { get; }

    /// <summary>Ctrl-C.</summary>
    public void Interrupt() => _interrupt.Cancel();

    /// <summary>Waits for the command to end and returns its exit code (fails the test after a while).</summary>
    public async Task<int> ExitCodeAsync()
    {
        try
        {
            return await Exit.WaitAsync(Patience);
        }
        catch (TimeoutException)
        {
            throw new Xunit.Sdk.XunitException($"the CLI did not finish within {Patience}.\nstdout:\n{Out.Text}\nstderr:\n{Err.Text}");
        }
    }

    /// <summary>Waits until standard output contains <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text) =>
        KubeTestBed.EventuallyAsync(() => Out.Text.Contains(text, StringComparison.Ordinal), $"stdout to contain '{text}'; stdout:\n{Out.Text}\nstderr:\n{Err.Text}");

    public void Dispose() => _interrupt.Dispose();
}
