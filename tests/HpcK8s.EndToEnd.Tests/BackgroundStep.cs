using System.Diagnostics;
using System.Text;
using System.Threading.Channels;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>A quick start step running in its own bash (a watch, a port-forward); disposing it stops it.</summary>
public sealed class BackgroundStep : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Action<string> _log;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();
    private readonly StringBuilder _output = new();
    private readonly Task _readers;

    internal BackgroundStep(Process process, Action<string> log)
    {
        _process = process;
        _log = log;
        _readers = Task.WhenAll(ReadAsync(process.StandardOutput), ReadAsync(process.StandardError))
            .ContinueWith(_ => _lines.Writer.TryComplete(), TaskScheduler.Default);
    }

    /// <summary>Everything it printed so far (standard output and error, interleaved by line).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits for a line that satisfies <paramref name="match"/>.</summary>
    /// <exception cref="InvalidOperationException">The process ended first.</exception>
    public async Task WaitForAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(match);
        while (await _lines.Reader.WaitToReadAsync(cancellationToken))
        {
            if (match(await _lines.Reader.ReadAsync(cancellationToken)))
            {
                return;
            }
        }

        await _process.WaitForExitAsync(cancellationToken);
        throw new InvalidOperationException($"it exited with {_process.ExitCode} first");
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync(CancellationToken.None);
            await _readers;
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task ReadAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }

            _log("  & " + line);
            await _lines.Writer.WriteAsync(line);
        }
    }
}
