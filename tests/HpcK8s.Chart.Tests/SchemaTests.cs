namespace HpcK8s.Chart.Tests;

/// <summary>Bad values stop helm with an error that names the key to fix.</summary>
[Collection(ChartTestGroup.Name)]
public sealed class SchemaTests(ChartFixture chart)
{
    public static TheoryData<string[], string> BadValues => new()
    {
        // values.schema.json
        { ["worker.scaling.mode=manual"], "/worker/scaling/mode" },
        { ["stateStore.type=memory"], "/stateStore/type" },
        { ["stateStore.type=existing"], "/stateStore/existing" },
        { ["stateStore.type=postgresql"], "/stateStore/postgresql/connectionStringSecret/name" },
        { ["worker.replicas=3"], "'replicas' not allowed" },
        { ["worker.appId=hpck8s.worker"], "/worker/appId" },
        { ["worker.port=70000"], "/worker/port" },
        { ["worker.resources.limits=null"], "missing property 'limits'" },
        { ["securityContext.runAsUser=0"], "/securityContext/runAsUser" },
        { ["dapr.logLevel=verbose"], "/dapr/logLevel" },
        { ["dapr.resiliency.actorTimeout=ten seconds"], "/dapr/resiliency/actorTimeout" },
        { ["worker.scaling.keda.triggers=null"], "missing property 'triggers'" },
        // cross-field checks in templates/validate.tpl
        { ["worker.shutdownTimeoutSeconds=40"], "worker.terminationGracePeriodSeconds (45) must be at least worker.shutdownTimeoutSeconds (40) + 10" },
        { ["worker.scaling.minReplicas=20"], "worker.scaling.minReplicas (20) must not exceed worker.scaling.maxReplicas (10)" },
        { ["worker.scaling.mode=hpa", "worker.scaling.minReplicas=0"], "worker.scaling.minReplicas must be at least 1 with worker.scaling.mode hpa" },
        { ["operator.appId=hpck8s-worker"], "each Dapr app needs its own app id" },
    };

    [HelmTheory]
    [MemberData(nameof(BadValues))]
    public async Task Template_BadValues_FailsNamingTheKey(string[] sets, string expected)
    {
        var result = await chart.TemplateAsync(sets);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Stderr);
    }

    [HelmFact]
    public async Task Template_OperatorModeMinZero_IsAllowed()
    {
        var manifests = await chart.RenderAsync("worker.scaling.minReplicas=0");

        var worker = manifests.Single(m => m.Kind == "Deployment" && m.Name == "hpc-hpck8s-worker");
        Assert.Equal("0", worker.Scalar("spec", "replicas"));
    }
}
