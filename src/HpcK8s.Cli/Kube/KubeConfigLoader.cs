using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;
using YamlDotNet.Core;

namespace HpcK8s.Cli.Kube;

/// <summary>Finds and reads the kubeconfig the way kubectl does: <c>--kubeconfig</c>, else <c>$KUBECONFIG</c> (a list
/// of files, merged, the first to set a value wins), else <c>~/.kube/config</c>; then picks the context.</summary>
internal static class KubeConfigLoader
{
    /// <summary>The namespace used when neither <c>-n</c> nor the context names one.</summary>
    public const string DefaultNamespace = "default";

    // Non-watch calls give up after this; a watch is bounded by its own timeoutSeconds instead.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The kubeconfig files to read, and where that choice came from (for messages).</summary>
    public static (IReadOnlyList<string> Files, string Source) ResolveFiles(string? explicitPath, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath))
        {
            return ([explicitPath], "--kubeconfig");
        }

        var fromEnvironment = getEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            var files = fromEnvironment.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (files.Length > 0)
            {
                return (files, "KUBECONFIG");
            }
        }

        var home = getEnvironmentVariable("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return ([Path.Combine(home, ".kube", "config")], "the default location");
    }

    /// <summary>Builds a client for <paramref name="context"/> (default: the current context).</summary>
    /// <exception cref="CliException">The kubeconfig is missing or invalid, or has no such context.</exception>
    public static KubeTarget Connect(string? explicitPath, string? context, string? @namespace, Func<string, string?>? getEnvironmentVariable = null)
    {
        var (files, source) = ResolveFiles(explicitPath, getEnvironmentVariable ?? Environment.GetEnvironmentVariable);
        var shown = string.Join(Path.PathSeparator, files);
        // kubectl skips KUBECONFIG entries that do not exist; an explicit or default file that is missing is an error.
        var existing = files.Where(File.Exists).Select(f => new FileInfo(f)).ToArray();
        if (existing.Length == 0)
        {
            throw new CliException(ExitCodes.InvalidInput,
                $"no kubeconfig at {shown} (from {source}): pass --kubeconfig FILE, set KUBECONFIG, or create one (e.g. kind create cluster, or copy it from your cluster)");
        }

        KubernetesClientConfiguration config;
        try
        {
            var loaded = LoadMerged(existing);
            context = string.IsNullOrWhiteSpace(context) ? null : context;
            if (context is null && string.IsNullOrEmpty(loaded.CurrentContext))
            {
                throw new CliException(ExitCodes.InvalidInput,
                    $"kubeconfig {shown} sets no current-context: pass --context NAME (one of: {Contexts(loaded)}) or run kubectl config use-context NAME");
            }

            var wanted = context ?? loaded.CurrentContext;
            if (loaded.Contexts?.Any(c => c.Name == wanted) != true)
            {
                throw new CliException(ExitCodes.InvalidInput,
                    $"kubeconfig {shown} has no context '{wanted}'{(context is null ? " (its current-context)" : "")}; known contexts: {Contexts(loaded)}");
            }

            config = KubernetesClientConfiguration.BuildConfigFromConfigObject(loaded, wanted);
        }
        catch (Exception e) when (e is KubeConfigException or YamlException or IOException or UnauthorizedAccessException or FormatException or ArgumentException)
        {
            var what = e is YamlException y ? $"line {y.Start.Line}: {(y.InnerException ?? y).Message}" : e.Message;
            throw new CliException(ExitCodes.InvalidInput, $"kubeconfig {shown} cannot be used: {what.Trim()}", e);
        }

        if (string.IsNullOrEmpty(config.Host))
        {
            throw new CliException(ExitCodes.InvalidInput, $"kubeconfig {shown}: context '{config.CurrentContext}' names a cluster without a server address");
        }

        config.HttpClientTimeout = RequestTimeout;
        var given = !string.IsNullOrWhiteSpace(@namespace);
        var chosen = given ? @namespace! : string.IsNullOrEmpty(config.Namespace) ? DefaultNamespace : config.Namespace;
        try
        {
            return new KubeTarget(new k8s.Kubernetes(config), chosen, given, config.CurrentContext ?? "", config.Host, shown);
        }
        catch (Exception e) when (e is KubeConfigException or IOException or System.Security.Cryptography.CryptographicException or FormatException)
        {
            throw new CliException(ExitCodes.InvalidInput, $"kubeconfig {shown}, context '{config.CurrentContext}': {e.Message}", e);
        }
    }

    // KubernetesClient merges KUBECONFIG lists only inside BuildDefaultConfig, which cannot pick a context: merge as
    // kubectl does (the first file to name a cluster, user or context wins; the first current-context wins).
    private static K8SConfiguration LoadMerged(FileInfo[] files)
    {
        var merged = KubernetesClientConfiguration.LoadKubeConfig(files[0], useRelativePaths: true);
        foreach (var file in files.Skip(1))
        {
            var next = KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: true);
            // The merged config resolves relative paths against the first file only: anchor this file's own.
            var directory = file.DirectoryName ?? ".";
            foreach (var cluster in next.Clusters ?? [])
            {
                if (cluster.ClusterEndpoint is { } endpoint)
                {
                    endpoint.CertificateAuthority = Anchor(endpoint.CertificateAuthority, directory);
                }
            }

            foreach (var user in next.Users ?? [])
            {
                if (user.UserCredentials is { } credentials)
                {
                    credentials.ClientCertificate = Anchor(credentials.ClientCertificate, directory);
                    credentials.ClientKey = Anchor(credentials.ClientKey, directory);
                }
            }

            merged.CurrentContext = string.IsNullOrEmpty(merged.CurrentContext) ? next.CurrentContext : merged.CurrentContext;
            merged.Clusters = MergeByName(merged.Clusters, next.Clusters, c => c.Name);
            merged.Users = MergeByName(merged.Users, next.Users, u => u.Name);
            merged.Contexts = MergeByName(merged.Contexts, next.Contexts, c => c.Name);
        }

        return merged;
    }

    private static List<T> MergeByName<T>(IEnumerable<T>? first, IEnumerable<T>? second, Func<T, string> name)
    {
        var result = new List<T>(first ?? []);
        var seen = new HashSet<string>(result.Select(name), StringComparer.Ordinal);
        result.AddRange((second ?? []).Where(item => seen.Add(name(item))));
        return result;
    }

    private static string Anchor(string path, string directory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));

    private static string Contexts(K8SConfiguration config)
    {
        var names = config.Contexts?.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).ToList() ?? [];
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }
}
