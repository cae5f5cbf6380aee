namespace HpcK8s.EndToEnd.Tests;

/// <summary>A fact that needs Docker (and helm, kubectl and bash); skipped, saying why, where they are missing or
/// <see cref="EndToEndEnvironment.SkipVariable"/> is set. The check takes a few seconds at most.</summary>
public sealed class EndToEndFactAttribute : FactAttribute
{
    public EndToEndFactAttribute() => Skip = EndToEndEnvironment.SkipReason;
}
