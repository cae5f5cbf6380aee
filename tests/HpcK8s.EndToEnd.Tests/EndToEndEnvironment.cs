using HpcK8s.Testing.Tools;

namespace HpcK8s.EndToEnd.Tests;

/// <summary>Whether the end-to-end tests can run here, and the knobs that change how.</summary>
public static class EndToEndEnvironment
{
    /// <summary>Set to any value but <c>0</c> or <c>false</c> to skip the suite even where Docker answers.</summary>
    public const string SkipVariable = "HPCK8S_SKIP_E2E";

    /// <summary>The K3s image to run instead of <see cref="DefaultK3sImage"/>.</summary>
    public const string K3sImageVariable = "HPCK8S_E2E_K3S_IMAGE";

    /// <summary>K3s 1.31 (the chart requires Kubernetes 1.27 or later; Testcontainers.K3s defaults to 1.26).</summary>
    public const string DefaultK3sImage = "rancher/k3s:v1.31.2-k3s1";

    private static readonly Lazy<string?> Reason = new(Evaluate);

    /// <summary>Why the suite is skipped here, or null when it runs.</summary>
    public static string? SkipReason => Reason.Value;

    /// <summary>The K3s image to start.</summary>
    public static string K3sImage => Environment.GetEnvironmentVariable(K3sImageVariable) is { Length: > 0 } image ? image : DefaultK3sImage;

    private static string? Evaluate()
    {
        if (Environment.GetEnvironmentVariable(SkipVariable) is { Length: > 0 } skip && skip is not ("0" or "false"))
        {
            return $"{SkipVariable} is set ('{skip}'): the end-to-end tests are switched off.";
        }

        if (OperatingSystem.IsWindows())
        {
            return "The end-to-end tests run the quick start's sh steps with bash; run them on Linux or macOS (or WSL).";
        }

        if (ProcessRunner.FindOnPath("bash") is null)
        {
            return "bash is not on PATH: the end-to-end tests run the quick start's steps with it.";
        }

        return DockerEngine.Unavailable ?? KubeTools.HelmSkipReason ?? KubeTools.KubectlSkipReason;
    }
}
