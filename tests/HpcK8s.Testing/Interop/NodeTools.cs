using System.Diagnostics;
using Xunit;

namespace HpcK8s.Testing.Interop;

/// <summary>Finds node and npm, the sidecar folder, and installs the sidecar's packages.</summary>
public static class NodeTools
{
    private static readonly Lazy<string?> NodePath = new(() => FindOnPath("node"));

    /// <summary>The node executable, or null when node is not installed.</summary>
    public static string? Node => NodePath.Value;

    /// <summary>tests/interop-sidecar of this checkout.</summary>
    public static string SidecarDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "tests", "interop-sidecar");
                if (File.Exists(Path.Combine(candidate, "package.json")))
                {
                    return candidate;
                }
            }

            throw new InvalidOperationException($"tests/interop-sidecar/package.json not found above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>Runs <c>npm ci</c> unless node_modules is already installed from the current package-lock.json.</summary>
    public static async Task EnsurePackagesAsync(string directory)
    {
        var installed = Path.Combine(directory, "node_modules", ".package-lock.json");
        var lockFile = Path.Combine(directory, "package-lock.json");
        bool UpToDate() => File.Exists(installed) && File.GetLastWriteTimeUtc(installed) >= File.GetLastWriteTimeUtc(lockFile);
        if (UpToDate())
        {
            return;
        }

        // Test assemblies run in parallel processes, and two `npm ci` in one folder break each other (ENOTEMPTY):
        // the first takes an exclusive lock file and installs; the others wait for it, then find the packages there.
        await using var gate = await AcquireInstallLockAsync(Path.Combine(directory, ".npm-install.lock"));
        if (UpToDate())
        {
            return;
        }

        var npm = FindOnPath("npm") ?? throw new InvalidOperationException(
            "node is installed but npm is not; install npm (apt-get install npm) so the interop tests can run 'npm ci' in tests/interop-sidecar.");
        var start = new ProcessStartInfo(npm, "ci --no-audit --no-fund --loglevel=error")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start npm ci.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'npm ci' in {directory} failed with exit code {process.ExitCode}: {await stdout}{await stderr}");
        }
    }

    private static async Task<FileStream> AcquireInstallLockAsync(string path)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(6));
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
            }
            catch (IOException)
            {
                await Task.Delay(200, timeout.Token);
            }
        }
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

/// <summary>A fact that needs node; skipped with the reason when node is not installed.</summary>
public sealed class InteropFactAttribute : FactAttribute
{
    public InteropFactAttribute()
    {
        if (NodeTools.Node is null)
        {
            Skip = "node is not installed (not found on PATH): the interop tests run the Durable Task engine of @microsoft/durabletask-js in node. Install nodejs and npm to run them.";
        }
    }
}

/// <summary>A theory that needs node; skipped with the reason when node is not installed.</summary>
public sealed class InteropTheoryAttribute : TheoryAttribute
{
    public InteropTheoryAttribute()
    {
        if (NodeTools.Node is null)
        {
            Skip = new InteropFactAttribute().Skip;
        }
    }
}
