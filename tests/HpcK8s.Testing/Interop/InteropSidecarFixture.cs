using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Xunit;

namespace HpcK8s.Testing.Interop;

/// <summary>
/// Starts tests/interop-sidecar (a TaskHubSidecarService server around @microsoft/durabletask-js's in-memory engine) on a
/// free loopback port, after installing its npm packages with <c>npm ci</c> when they are missing or stale.
/// </summary>
public sealed class InteropSidecarFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly Channel<string> _replies = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _commandLock = new(1, 1);
    private readonly System.Text.StringBuilder _stderr = new();
    private Process? _process;

    /// <summary>The sidecar's gRPC endpoint, e.g. http://127.0.0.1:41234.</summary>
    public string Endpoint { get; private set; } = string.Empty;

    /// <summary>What the sidecar wrote to stderr (for failure messages).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        if (NodeTools.Node is null)
        {
            return; // every interop test is skipped by InteropFactAttribute
        }

        var directory = NodeTools.SidecarDirectory;
        await NodeTools.EnsurePackagesAsync(directory);

        var start = new ProcessStartInfo(NodeTools.Node, "server.js")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        _process = Process.Start(start) ?? throw new InvalidOperationException("Could not start node server.js.");
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr)
                {
                    _stderr.AppendLine(e.Data);
                }
            }
        };
        _process.BeginErrorReadLine();
        _ = Task.Run(ReadStdoutAsync);

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            var line = await _replies.Reader.ReadAsync(timeout.Token);
            if (!line.StartsWith("LISTENING ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The interop sidecar printed '{line}' instead of 'LISTENING <port>'. stderr: {StandardError}");
            }

            Endpoint = "http://127.0.0.1:" + line["LISTENING ".Length..].Trim();
        }
        catch (OperationCanceledException)
        {
            throw new InvalidOperationException($"The interop sidecar did not print its port within {StartTimeout}. stderr: {StandardError}");
        }
    }

    /// <summary>Ends every work item stream with UNAVAILABLE, as a sidecar restart would.</summary>
    public async Task DropStreamsAsync()
    {
        var reply = await CommandAsync("drop");
        Assert.Equal("DROPPED", reply);
    }

    /// <summary>The sidecar's counters (streams, dispatches, stale and rejected completions, stripped fields).</summary>
    public async Task<JsonElement> GetStatsAsync()
    {
        var reply = await CommandAsync("stats");
        Assert.StartsWith("STATS ", reply, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(reply["STATS ".Length..]);
        return document.RootElement.Clone();
    }

    public async Task DisposeAsync()
    {
        if (_process is null)
        {
            return;
        }

        try
        {
            _process.StandardInput.Close(); // the sidecar exits when stdin closes
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
            _commandLock.Dispose();
        }
    }

    private async Task<string> CommandAsync(string command)
    {
        await _commandLock.WaitAsync();
        try
        {
            await _process!.StandardInput.WriteLineAsync(command);
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            return await _replies.Reader.ReadAsync(timeout.Token);
        }
        finally
        {
            _commandLock.Release();
        }
    }

    private async Task ReadStdoutAsync()
    {
        while (await _process!.StandardOutput.ReadLineAsync() is { } line)
        {
            await _replies.Writer.WriteAsync(line);
        }

        _replies.Writer.TryComplete();
    }
}

