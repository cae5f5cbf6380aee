using HpcK8s.Dapr;

namespace HpcK8s.Dapr.Tests;

public class DaprProjectTests
{
    [Fact]
    public void DefaultAppId_IsAValidDaprAppId() => Assert.Matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", DaprProject.DefaultAppId);
}
