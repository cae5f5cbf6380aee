using HpcK8s.Testing.Docs;
using HpcK8s.Testing.Tools;
using Testcontainers.K3s;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>
/// A K3s cluster in Docker, set up by the quick start's own steps up to the chart install: the CLI, Dapr, Redis, the
/// two images (built and imported into the node instead of <c>kind load</c>) and <c>helm upgrade --install</c>.
/// Does nothing where the suite is skipped.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(45);
    private K3sContainer? _node;
    private QuickstartShell? _shell;
    private string? _scratch;

    /// <summary>Everything run so far and its output.</summary>
    public Transcript Transcript { get; } = new();

    /// <summary>The quick start.</summary>
    public QuickstartDocument Page { get; } = QuickstartDocument.Load();

    /// <summary>The shell the quick start's steps run in.</summary>
    public QuickstartShell Shell => _shell ?? throw new InvalidOperationException("the cluster was not set up (is the suite skipped?)");

    /// <summary>A folder for the suite's files, removed at the end.</summary>
    public string Scratch => _scratch ?? throw new InvalidOperationException("the cluster was not set up (is the suite skipped?)");

    /// <summary>Steps exercised by other means than running them (images, load).</summary>
    public ISet<string> DoneEquivalently { get; } = new HashSet<string>(StringComparer.Ordinal);

    public async Task InitializeAsync()
    {
        if (EndToEndEnvironment.SkipReason is not null)
        {
            return;
        }

        using var cancel = new CancellationTokenSource(SetupTimeout);
        _scratch = Directory.CreateTempSubdirectory("hpck8s-e2e-").FullName;
        var bin = Directory.CreateDirectory(Path.Combine(_scratch, "bin")).FullName;
        File.CreateSymbolicLink(Path.Combine(bin, "helm"), await KubeTools.GetHelmAsync());
        File.CreateSymbolicLink(Path.Combine(bin, "kubectl"), await KubeTools.GetKubectlAsync());

        // The images build while the cluster starts and Dapr installs: they are independent, and both take minutes.
        var images = ImageImporter.ImagesOf(Page);
        var builds = Task.WhenAll(images.Select(async i =>
        {
            Transcript.Append($"building {i.Tag} from {i.Dockerfile} (context: the repository root)");
            await ImageImporter.BuildAsync(i.Tag, i.Dockerfile, cancel.Token);
            Transcript.Append($"built {i.Tag}");
        }));

        Transcript.Append($"starting {EndToEndEnvironment.K3sImage} (instead of step {QuickstartSteps.Cluster})");
        _node = new K3sBuilder(EndToEndEnvironment.K3sImage).Build();
        await _node.StartAsync(cancel.Token);
        var kubeconfig = Path.Combine(_scratch, "kubeconfig");
        await File.WriteAllTextAsync(kubeconfig, await _node.GetKubeconfigAsync(), cancel.Token);

        _shell = QuickstartShell.Start(Page, new Dictionary<string, string?>
        {
            ["PATH"] = $"{bin}{Path.PathSeparator}{Environment.GetEnvironmentVariable("PATH")}",
            ["KUBECONFIG"] = kubeconfig,
            ["HELM_CONFIG_HOME"] = Path.Combine(_scratch, "helm", "config"),
            ["HELM_CACHE_HOME"] = Path.Combine(_scratch, "helm", "cache"),
            ["HELM_DATA_HOME"] = Path.Combine(_scratch, "helm", "data"),
            ["DAPR_API_TOKEN"] = null,
        }, _scratch, Transcript.Append);

        await Shell.RunScriptAsync("kubectl wait --for=condition=Ready nodes --all --timeout 5m", "wait for the K3s node", TimeSpan.FromMinutes(6));
        await Shell.RunStepAsync(QuickstartSteps.Cli, TimeSpan.FromMinutes(10));
        await Shell.RunStepAsync(QuickstartSteps.Dapr, TimeSpan.FromMinutes(15));
        await Shell.RunStepAsync(QuickstartSteps.Redis, TimeSpan.FromMinutes(10));

        await builds;
        DoneEquivalently.Add(QuickstartSteps.Images);
        foreach (var (tag, _) in images)
        {
            Transcript.Append($"importing {tag} into the K3s node's containerd (instead of step {QuickstartSteps.Load})");
            await ImageImporter.ImportAsync(_node, tag, _scratch, cancel.Token);
        }

        DoneEquivalently.Add(QuickstartSteps.Load);
        await Shell.RunStepAsync(QuickstartSteps.Install, TimeSpan.FromMinutes(15));
    }

    /// <summary>The cluster's state, for a failure message.</summary>
    public async Task<string> DescribeAsync()
    {
        if (_shell is null)
        {
            return "(no cluster)";
        }

        try
        {
            return await Shell.RunScriptAsync(
                "(\nset +e\nkubectl get pods -A -o wide\nkubectl get cj -A -o yaml\nkubectl get events -A --sort-by=.lastTimestamp | tail -n 60\n)",
                "describe the cluster", TimeSpan.FromMinutes(2));
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return $"(could not describe the cluster: {e.Message})";
        }
    }

    public async Task DisposeAsync()
    {
        if (_shell is not null)
        {
            await _shell.DisposeAsync();
        }

        if (_node is not null)
        {
            await _node.DisposeAsync();
        }

        if (_scratch is not null)
        {
            Directory.Delete(_scratch, recursive: true);
        }
    }
}
