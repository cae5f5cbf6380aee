namespace HpcK8s.Testing.Docs;

/// <summary>How the tests exercise one step of the quick start.</summary>
public enum StepCoverage
{
    /// <summary>The end-to-end suite runs the step's commands as written.</summary>
    EndToEnd,

    /// <summary>The end-to-end suite does what the step does by other means (the Docker API instead of the docker
    /// command, K3s's containerd instead of kind's), with the names and files the step gives.</summary>
    EndToEndEquivalent,

    /// <summary>No test runs it (it creates or deletes a kind/minikube cluster, or runs skaffold); the files and
    /// values it relies on are checked by the chart tests.</summary>
    NotRun,
}
