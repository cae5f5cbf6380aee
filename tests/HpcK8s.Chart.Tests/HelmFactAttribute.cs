using HpcK8s.Testing.Tools;

namespace HpcK8s.Chart.Tests;

/// <summary>A fact that needs helm; skipped with the reason when it cannot be had.</summary>
public sealed class HelmFactAttribute : FactAttribute
{
    public HelmFactAttribute() => Skip = KubeTools.HelmSkipReason;
}
