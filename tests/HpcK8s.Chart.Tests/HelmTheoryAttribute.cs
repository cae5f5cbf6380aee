using HpcK8s.Testing.Tools;

namespace HpcK8s.Chart.Tests;

/// <summary>A theory that needs helm; skipped with the reason when it cannot be had.</summary>
public sealed class HelmTheoryAttribute : TheoryAttribute
{
    public HelmTheoryAttribute() => Skip = KubeTools.HelmSkipReason;
}
