using System.Text.Json.Nodes;
using HpcK8s.KubeApiServer;
using HpcK8s.Testing;
using k8s;
using k8s.Models;

namespace HpcK8s.Cli.Tests.Kube;

/// <summary>A fake Kubernetes API server over real HTTP, a kubeconfig pointing at it (context <c>fake</c> with
/// namespace <c>jobs</c>, context <c>bare</c> without a namespace), and the CLI run against it in-process. The tests
/// play the operator by writing status through the status subresource.</summary>
internal sealed class KubeTestBed : IAsyncDisposable
{
    public const string Namespace = "jobs";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly CliHarness _files = new();
    private readonly List<RunningCli> _running = [];

    private KubeTestBed(FakeKubeApiServer server)
    {
        Server = server;
        Client = server.CreateClient();
        Kubeconfig = WriteKubeconfig("kubeconfig", server.Url);
    }

    public FakeKubeApiServer Server { get; }

    public k8s.Kubernetes Client { get; }

    public string Kubeconfig { get; }

    public string Directory => _files.Directory;

    public static async Task<KubeTestBed> StartAsync(FakeKubeApiServerOptions? options = null) =>
        new(await FakeKubeApiServer.StartAsync(options ?? new FakeKubeApiServerOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) }));

    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out waiting for {what}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>A kubeconfig with contexts <c>fake</c> (current, namespace <c>jobs</c>) and <c>bare</c> (no namespace).</summary>
    public string WriteKubeconfig(string fileName, string server, string currentContext = "fake") => _files.Write(fileName, $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: fake
          cluster:
            server: {server}
        users:
        - name: tester
          user:
            token: test-token
        contexts:
        - name: fake
          context:
            cluster: fake
            user: tester
            namespace: {Namespace}
        - name: bare
          context:
            cluster: fake
            user: tester
        current-context: {currentContext}
        """);

    public string Write(string name, string content) => _files.Write(name, content);

    /// <summary>Runs the CLI with <c>--kubeconfig</c> added (unless <paramref name="args"/> names one).</summary>
    public async Task<(int Exit, string Out, string Err)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(WithKubeconfig(args), TextReader.Null, output, error, Core.Kernels.KernelRegistry.BuiltIn);
        return (exit, output.ToString(), error.ToString());
    }

    public async Task<(int Exit, string Out, string Err)> RunWithInputAsync(string input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var reader = new StringReader(input);
        var exit = await CliApp.RunAsync(WithKubeconfig(args), reader, output, error, Core.Kernels.KernelRegistry.BuiltIn);
        return (exit, output.ToString(), error.ToString());
    }

    /// <summary>Starts the CLI in the background (for watch).</summary>
    public RunningCli Start(params string[] args)
    {
        var running = new RunningCli(WithKubeconfig(args), TextReader.Null);
        _running.Add(running);
        return running;
    }

    /// <summary>Creates a job straight on the API server, as <c>kubectl apply</c> would.</summary>
    public async Task<JsonObject> CreateJobAsync(string name, int shards = 4, string ns = Namespace)
    {
        var job = new JsonObject
        {
            ["apiVersion"] = "hpck8s.io/v1alpha1",
            ["kind"] = "ComputeJob",
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["kernel"] = new JsonObject { ["name"] = "pi-montecarlo" }, ["parameters"] = new JsonObject { ["samples"] = "1000", ["seed"] = "1" }, ["shards"] = shards },
        };
        var created = await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(job, "hpck8s.io", "v1alpha1", ns, "computejobs");
        return created;
    }

    /// <summary>Writes <paramref name="status"/> through the status subresource (a merge patch), as the operator does.</summary>
    public Task SetStatusAsync(string name, object status, string ns = Namespace) =>
        Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonObject>(
            new V1Patch(new { status }, V1Patch.PatchType.MergePatch), "hpck8s.io", "v1alpha1", ns, "computejobs", name);

    public Task DeleteJobAsync(string name, string ns = Namespace) =>
        Client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonObject>("hpck8s.io", "v1alpha1", ns, "computejobs", name);

    public JsonObject? Stored(string name, string ns = Namespace) => Server.GetObject(ApiResource.ComputeJobs, ns, name);

    /// <summary>Waits until the CLI has a watch open (so it has read the job and will see every later change).</summary>
    public Task WatchingAsync(int watches = 1) => EventuallyAsync(() => Server.WatchCount >= watches, $"{watches} open watch(es)");

    public static string Example(string file) => Path.Combine(RepoPaths.Examples, file);

    public async ValueTask DisposeAsync()
    {
        foreach (var running in _running)
        {
            running.Interrupt();
            try
            {
                await running.Exit.WaitAsync(Patience);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // The test has failed already if a CLI still runs; do not hide that failure behind this one.
            }

            running.Dispose();
        }

        Client.Dispose();
        await Server.DisposeAsync();
        _files.Dispose();
    }

    private string[] WithKubeconfig(string[] args) => args.Contains("--kubeconfig") ? args : [.. args, "--kubeconfig", Kubeconfig];
}
