namespace HpcK8s.Operator.Tests;

public sealed class OptionsTests
{
    [Fact]
    public void Defaults_AreValid() => Assert.Empty(new OperatorOptions().Validate());

    [Fact]
    public void EveryProblem_NamesTheKeyToSet()
    {
        var options = new OperatorOptions
        {
            ReconcileConcurrency = 0,
            PollInterval = TimeSpan.FromMilliseconds(1),
            LeaderElection = new LeaderElectionOptions { LeaseName = " ", LeaseDuration = TimeSpan.FromSeconds(5), RenewDeadline = TimeSpan.FromSeconds(5) },
            Workers = new WorkerScalingOptions { ScalingMode = "magic", MinReplicas = 7, MaxReplicas = 3, ShardsPerReplica = 0 },
        };

        var errors = options.Validate();

        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:ReconcileConcurrency must be 1 to 64 (got 0)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:PollInterval", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:LeaderElection:LeaseName must be set", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:LeaderElection:RenewDeadline must be", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:Workers:ScalingMode must be 'operator', 'hpa' or 'keda' (got 'magic')", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:Workers:MinReplicas must be 0 to HpcK8s:Operator:Workers:MaxReplicas (3) (got 7)", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("HpcK8s:Operator:Workers:ShardsPerReplica", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("operator", "hpck8s-worker", true)]
    [InlineData("Operator", "hpck8s-worker", true)]
    [InlineData("hpa", "hpck8s-worker", false)]
    [InlineData("keda", "hpck8s-worker", false)]
    [InlineData("operator", "", false)]
    public void OperatorScales_OnlyInOperatorModeWithADeployment(string mode, string deployment, bool scales) =>
        Assert.Equal(scales, new WorkerScalingOptions { ScalingMode = mode, Deployment = deployment }.OperatorScales);
}
