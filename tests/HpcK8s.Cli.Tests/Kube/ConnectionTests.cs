using System.Net;
using System.Net.Sockets;
using HpcK8s.Cli.Kube;

namespace HpcK8s.Cli.Tests.Kube;

public sealed class ConnectionTests : IAsyncLifetime
{
    private KubeTestBed _bed = null!;

    public async Task InitializeAsync() => _bed = await KubeTestBed.StartAsync();

    public async Task DisposeAsync() => await _bed.DisposeAsync();

    [Theory]
    [InlineData("get")]
    [InlineData("watch", "pi")]
    [InlineData("submit", "EXAMPLE")]
    public async Task UnreachableServer_OneLineNamingTheServerAndContext_Exit3(params string[] args)
    {
        var closed = ClosedPort();
        var kubeconfig = _bed.WriteKubeconfig("down", $"http://127.0.0.1:{closed}");
        args = [.. args.Select(a => a == "EXAMPLE" ? KubeTestBed.Example("pi-bbp.yaml") : a), "--kubeconfig", kubeconfig];

        var (exit, _, stderr) = await _bed.RunAsync(args);

        Assert.Equal(3, exit);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.Contains($"cannot reach the Kubernetes API server at http://127.0.0.1:{closed} (context 'fake'): Connection refused", stderr, StringComparison.Ordinal);
        Assert.Contains($"check that the cluster is running and that kubeconfig {kubeconfig} points at it", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingKubeconfig_SaysWhereItLookedAndWhatToDo()
    {
        var missing = Path.Combine(_bed.Directory, "missing");

        var (exit, _, stderr) = await _bed.RunAsync("get", "--kubeconfig", missing);

        Assert.Equal(2, exit);
        Assert.Equal($"get: no kubeconfig at {missing} (from --kubeconfig): pass --kubeconfig FILE, set KUBECONFIG, or create one (e.g. kind create cluster, or copy it from your cluster)", stderr.Trim());
    }

    [Fact]
    public async Task InvalidKubeconfig_OneLine()
    {
        var broken = _bed.Write("broken", "apiVersion: v1\nclusters: [ { name: x\n");

        var (exit, _, stderr) = await _bed.RunAsync("get", "--kubeconfig", broken);

        Assert.Equal(2, exit);
        Assert.StartsWith($"get: kubeconfig {broken} cannot be used:", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task UnknownContext_ListsTheKnownOnes()
    {
        var (exit, _, stderr) = await _bed.RunAsync("get", "--context", "prod");

        Assert.Equal(2, exit);
        Assert.Equal($"get: kubeconfig {_bed.Kubeconfig} has no context 'prod'; known contexts: fake, bare", stderr.Trim());
    }

    [Fact]
    public async Task NoCurrentContext_AsksForOne()
    {
        var kubeconfig = _bed.WriteKubeconfig("no-current", _bed.Server.Url, currentContext: "");

        var (exit, _, stderr) = await _bed.RunAsync("get", "--kubeconfig", kubeconfig);
        var (chosen, _, _) = await _bed.RunAsync("get", "--kubeconfig", kubeconfig, "--context", "fake");

        Assert.Equal(2, exit);
        Assert.Contains("sets no current-context: pass --context NAME (one of: fake, bare)", stderr, StringComparison.Ordinal);
        Assert.Equal(0, chosen);
    }

    [Fact]
    public void KubeconfigFiles_FlagThenKUBECONFIGThenHome()
    {
        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = $"/a/one{Path.PathSeparator}/b/two", ["HOME"] = "/home/me" };
        var noEnv = new Dictionary<string, string?> { ["HOME"] = "/home/me" };

        Assert.Equal("/x/flag --kubeconfig", Show(KubeConfigLoader.ResolveFiles("/x/flag", n => env.GetValueOrDefault(n))));
        Assert.Equal("/a/one /b/two KUBECONFIG", Show(KubeConfigLoader.ResolveFiles(null, n => env.GetValueOrDefault(n))));
        Assert.Equal("/home/me/.kube/config the default location", Show(KubeConfigLoader.ResolveFiles(null, n => noEnv.GetValueOrDefault(n))));
    }

    [Fact]
    public void KUBECONFIG_List_IsMerged_FirstFileWins_MissingFilesSkipped()
    {
        var first = _bed.WriteKubeconfig("first", _bed.Server.Url);
        var second = _bed.Write("second", $"""
            apiVersion: v1
            kind: Config
            clusters: [ {"{"} name: other, cluster: {"{"} server: "http://127.0.0.1:1" {"}"} {"}"} ]
            users: [ {"{"} name: other, user: {"{"} token: x {"}"} {"}"} ]
            contexts:
            - {"{"} name: fake, context: {"{"} cluster: other, user: other {"}"} {"}"}
            - {"{"} name: science, context: {"{"} cluster: other, user: other, namespace: science {"}"} {"}"}
            current-context: science
            """);
        var env = new Dictionary<string, string?> { ["KUBECONFIG"] = string.Join(Path.PathSeparator, first, Path.Combine(_bed.Directory, "absent"), second) };

        using var current = KubeConfigLoader.Connect(null, null, null, n => env.GetValueOrDefault(n));
        using var science = KubeConfigLoader.Connect(null, "science", null, n => env.GetValueOrDefault(n));

        Assert.Equal("fake", current.Context);
        Assert.Equal("jobs", current.Namespace);
        Assert.StartsWith(_bed.Server.Url, current.Server, StringComparison.Ordinal);
        Assert.Equal("science", science.Namespace);
        Assert.StartsWith("http://127.0.0.1:1", science.Server, StringComparison.Ordinal);
    }

    private static string Show((IReadOnlyList<string> Files, string Source) r) => string.Join(" ", [.. r.Files, r.Source]);

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
