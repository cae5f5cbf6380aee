namespace HpcK8s.Testing.Docs;

/// <summary>
/// The steps of docs/quickstart-kind.md. The chart tests hold the page to this list (every code block is a step listed
/// here, and the other way round); the end-to-end suite runs the steps by these ids.
/// </summary>
public static class QuickstartSteps
{
    public const string Cli = "cli";
    public const string Cluster = "cluster";
    public const string Dapr = "dapr";
    public const string Redis = "redis";
    public const string Images = "images";
    public const string Load = "load";
    public const string Install = "install";
    public const string Submit = "submit";
    public const string Watch = "watch";
    public const string Wait = "wait";
    public const string Result = "result";
    public const string PortForward = "port-forward";
    public const string Ledger = "ledger";
    public const string Diagnose = "diagnose";
    public const string Cleanup = "cleanup";
    public const string ClusterDelete = "cluster-delete";
    public const string Skaffold = "skaffold";
    public const string MinikubeCluster = "minikube-cluster";
    public const string MinikubeImages = "minikube-images";
    public const string MinikubeDelete = "minikube-delete";

    /// <summary>The page, from the repository root.</summary>
    public const string RelativePath = "docs/quickstart-kind.md";

    /// <summary>The page's full path in this checkout.</summary>
    public static string DocumentPath => Path.Combine(RepoPaths.Root, "docs", "quickstart-kind.md");

    /// <summary>Every step, in the order the page gives them.</summary>
    public static IReadOnlyList<QuickstartStep> All { get; } =
    [
        new(Cli, StepCoverage.EndToEnd, "end-to-end: builds the CLI and puts it on PATH"),
        new(Cluster, StepCoverage.NotRun, "end-to-end starts K3s in Docker instead"),
        new(Dapr, StepCoverage.EndToEnd, "end-to-end: installs Dapr from its chart"),
        new(Redis, StepCoverage.EndToEnd, "end-to-end; chart tests validate deploy/redis.yaml"),
        new(Images, StepCoverage.EndToEndEquivalent, "end-to-end builds these Dockerfiles, context and tags through the Docker API"),
        new(Load, StepCoverage.EndToEndEquivalent, "end-to-end imports these images into K3s's containerd"),
        new(Install, StepCoverage.EndToEnd, "end-to-end; chart tests render it with the same flags"),
        new(Submit, StepCoverage.EndToEnd, "end-to-end; chart tests validate the manifest against the CRD"),
        new(Watch, StepCoverage.EndToEnd, "end-to-end, until the job's row appears"),
        new(Wait, StepCoverage.EndToEnd, "end-to-end"),
        new(Result, StepCoverage.EndToEnd, "end-to-end compares the two digests"),
        new(PortForward, StepCoverage.EndToEnd, "end-to-end, in the background while the ledger step runs"),
        new(Ledger, StepCoverage.EndToEnd, "end-to-end"),
        new(Diagnose, StepCoverage.EndToEnd, "end-to-end, before cleaning up"),
        new(Cleanup, StepCoverage.EndToEnd, "end-to-end"),
        new(ClusterDelete, StepCoverage.NotRun, "end-to-end removes its K3s container instead"),
        new(Skaffold, StepCoverage.NotRun, "chart tests hold skaffold.yaml to the chart, the Dockerfiles and the quick start"),
        new(MinikubeCluster, StepCoverage.NotRun, "minikube is not available to the tests"),
        new(MinikubeImages, StepCoverage.NotRun, "the builds are those of the images step"),
        new(MinikubeDelete, StepCoverage.NotRun, "minikube is not available to the tests"),
    ];
}
