namespace HpcK8s.EndToEnd.Tests;

/// <summary>The tests that share one cluster.</summary>
[CollectionDefinition(Name)]
public sealed class ClusterTestGroup : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
