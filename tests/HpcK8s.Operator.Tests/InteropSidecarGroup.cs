using HpcK8s.Testing.Interop;

namespace HpcK8s.Operator.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class InteropSidecarGroup : ICollectionFixture<InteropSidecarFixture>
{
    public const string Name = "interop-sidecar";
}
