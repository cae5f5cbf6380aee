using HpcK8s.Core.Kernels;

namespace HpcK8s.Cli.Tests;

/// <summary>Runs the CLI in-process in a scratch directory and captures what it prints.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("hpck8s-cli-").FullName;
    }

    public string Directory { get; }

    public string StateDir => Path.Combine(Directory, "state");

    public string Write(string name, string content)
    {
        var path = Path.Combine(Directory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async Task<(int Exit, string Out, string Err)> RunAsync(KernelRegistry kernels, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await CliApp.RunAsync(args, output, error, kernels);
        return (exit, output.ToString(), error.ToString());
    }

    public static string Job(string name, string parameters, int shards = 4, string extra = "") => $"""
        apiVersion: hpck8s.io/v1alpha1
        kind: ComputeJob
        metadata: {"{"} name: {name} {"}"}
        spec:
          kernel: {"{"} name: scripted {"}"}
          parameters: {"{"} {parameters} {"}"}
          shards: {shards}
          retry: {"{"} maxAttempts: 3, backoff: 10ms {"}"}
        {extra}
        """;

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
