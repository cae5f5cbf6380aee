using System.Globalization;
using HpcK8s.Dapr;
using HpcK8s.Dapr.Ledger;
using YamlDotNet.RepresentationModel;

namespace HpcK8s.Chart.Tests;

/// <summary>helm template in every mode, parsed and checked object by object.</summary>
[Collection(ChartTestGroup.Name)]
public sealed class RenderTests(ChartFixture chart)
{
    private const string Operator = "hpc-hpck8s-operator";
    private const string Worker = "hpc-hpck8s-worker";

    [HelmFact]
    public async Task Template_Defaults_RendersOperatorModeWithRedisStore()
    {
        var manifests = await chart.RenderAsync();

        Assert.Equal(
            [
                "ClusterRole/hpc-hpck8s-operator", "ClusterRoleBinding/hpc-hpck8s-operator",
                "Component/hpc-hpck8s-statestore", "Configuration/hpc-hpck8s-dapr-config",
                "Deployment/hpc-hpck8s-operator", "Deployment/hpc-hpck8s-worker",
                "NetworkPolicy/hpc-hpck8s-default-deny", "NetworkPolicy/hpc-hpck8s-operator", "NetworkPolicy/hpc-hpck8s-worker",
                "PodDisruptionBudget/hpc-hpck8s-operator", "PodDisruptionBudget/hpc-hpck8s-worker",
                "Resiliency/hpc-hpck8s-resiliency", "Role/hpc-hpck8s-operator-local", "RoleBinding/hpc-hpck8s-operator-local",
                "Secret/hpc-hpck8s-dapr-api-token", "ServiceAccount/hpc-hpck8s-operator", "ServiceAccount/hpc-hpck8s-worker",
            ],
            manifests.Select(m => m.ToString()).Order(StringComparer.Ordinal));

        var worker = Deployment(manifests, Worker);
        Assert.Equal("1", worker.Scalar("spec", "replicas"));
        var store = manifests.Single(m => m.Kind == "Component");
        Assert.Equal("state.redis", store.Scalar("spec", "type"));
        Assert.Equal("redis-master:6379", Metadata(store)["redisHost"]);
        Assert.Contains(OperatorRules(manifests), r => r.Resources.Contains("deployments/scale") && r.ResourceNames.SequenceEqual([Worker]));
    }

    [HelmFact]
    public async Task Template_Hpa_AutoscalerOwnsWorkerReplicas()
    {
        var manifests = await chart.RenderAsync("worker.scaling.mode=hpa", "worker.scaling.hpa.targetMemoryUtilizationPercentage=80");

        var hpa = Assert.Single(manifests, m => m.Kind == "HorizontalPodAutoscaler");
        Assert.Equal("autoscaling/v2", hpa.ApiVersion);
        Assert.Equal(Worker, hpa.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal("Deployment", hpa.Scalar("spec", "scaleTargetRef", "kind"));
        Assert.Equal("1", hpa.Scalar("spec", "minReplicas"));
        Assert.Equal("10", hpa.Scalar("spec", "maxReplicas"));
        Assert.Equal(["cpu", "memory"], hpa.Seq("spec", "metrics").Select(m => Manifest.Scalar(m, "resource", "name")));
        Assert.DoesNotContain(manifests, m => m.Kind == "ScaledObject");
        Assert.Null(Deployment(manifests, Worker).Node("spec", "replicas"));
        Assert.DoesNotContain(OperatorRules(manifests), r => r.Resources.Contains("deployments/scale") || r.Resources.Contains("deployments"));
        Assert.Equal("hpa", Env(Deployment(manifests, Operator), "operator")["HpcK8s__Operator__Workers__ScalingMode"]);
    }

    [HelmFact]
    public async Task Template_Keda_RendersScaledObjectForWorkers()
    {
        var manifests = await chart.RenderAsync("worker.scaling.mode=keda", "worker.scaling.minReplicas=2", "worker.scaling.maxReplicas=40");

        var scaled = Assert.Single(manifests, m => m.Kind == "ScaledObject");
        Assert.Equal("keda.sh/v1alpha1", scaled.ApiVersion);
        Assert.Equal(Worker, scaled.Scalar("spec", "scaleTargetRef", "name"));
        Assert.Equal("2", scaled.Scalar("spec", "minReplicaCount"));
        Assert.Equal("40", scaled.Scalar("spec", "maxReplicaCount"));
        var trigger = Assert.Single(scaled.Seq("spec", "triggers"));
        Assert.Equal("cpu", Manifest.Scalar(trigger, "type"));
        Assert.DoesNotContain(manifests, m => m.Kind == "HorizontalPodAutoscaler");
        Assert.Null(Deployment(manifests, Worker).Node("spec", "replicas"));
        Assert.DoesNotContain(OperatorRules(manifests), r => r.Resources.Contains("deployments/scale"));
    }

    [HelmFact]
    public async Task Template_Postgresql_RendersActorStoreFromSecret()
    {
        var manifests = await chart.RenderAsync("stateStore.type=postgresql", "stateStore.postgresql.connectionStringSecret.name=pg-conn");

        var store = Assert.Single(manifests, m => m.Kind == "Component");
        Assert.Equal("state.postgresql", store.Scalar("spec", "type"));
        Assert.Equal("v2", store.Scalar("spec", "version"));
        var connection = store.Seq("spec", "metadata").Single(m => Manifest.Scalar(m, "name") == "connectionString");
        Assert.Equal("pg-conn", Manifest.Scalar(connection, "secretKeyRef", "name"));
        Assert.Equal("connectionString", Manifest.Scalar(connection, "secretKeyRef", "key"));
        Assert.Null(Manifest.Scalar(connection, "value"));
        Assert.Equal("kubernetes", store.Scalar("auth", "secretStore"));
        Assert.Equal("5432", EgressPorts(manifests, Worker).Single(p => p == "5432"));
    }

    [HelmFact]
    public async Task Template_ExistingStore_RendersNoComponentAndTargetsTheExistingOne()
    {
        var manifests = await chart.RenderAsync("stateStore.type=existing", "stateStore.existing=shared-actors", "dapr.apiToken.existingSecret=my-token");

        Assert.DoesNotContain(manifests, m => m.Kind == "Component");
        Assert.DoesNotContain(manifests, m => m.Kind == "Secret");
        var resiliency = Assert.Single(manifests, m => m.Kind == "Resiliency");
        Assert.Equal(["shared-actors"], resiliency.Map("spec", "targets", "components").Children.Keys.Select(k => k.ToString()));
        Assert.Equal("my-token", Annotations(Deployment(manifests, Worker))["dapr.io/api-token-secret"]);
    }

    [HelmFact]
    public async Task Template_Namespaced_UsesRolesOnly()
    {
        var manifests = await chart.RenderAsync("operator.watchAllNamespaces=false");

        Assert.DoesNotContain(manifests, m => m.Kind.StartsWith("Cluster", StringComparison.Ordinal));
        Assert.Equal(2, manifests.Count(m => m.Kind == "Role"));
        Assert.Equal(2, manifests.Count(m => m.Kind == "RoleBinding"));
        Assert.Equal("jobs", Env(Deployment(manifests, Operator), "operator")["HpcK8s__Operator__WatchNamespace"]);
    }

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task EveryContainer_HasProbesLimitsAndHardenedSecurityContext(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);

        var deployments = manifests.Where(m => m.Kind == "Deployment").ToList();
        Assert.Equal(2, deployments.Count);
        foreach (var deployment in deployments)
        {
            var pod = deployment.Map("spec", "template", "spec");
            Assert.Equal("true", Manifest.Scalar(pod, "securityContext", "runAsNonRoot"));
            Assert.Equal("RuntimeDefault", Manifest.Scalar(pod, "securityContext", "seccompProfile", "type"));
            var containers = Manifest.Seq(pod, "containers");
            Assert.NotEmpty(containers);
            foreach (var container in containers)
            {
                var where = $"{mode}: {deployment} container {Manifest.Scalar(container, "name")}";
                Assert.True(Manifest.Scalar(container, "livenessProbe", "httpGet", "path") == "/healthz", $"{where}: liveness probe is not GET /healthz");
                Assert.True(Manifest.Scalar(container, "readinessProbe", "httpGet", "path") == "/readyz", $"{where}: readiness probe is not GET /readyz");
                foreach (var resource in new[] { "cpu", "memory" })
                {
                    Assert.False(string.IsNullOrEmpty(Manifest.Scalar(container, "resources", "requests", resource)), $"{where}: no {resource} request");
                    Assert.False(string.IsNullOrEmpty(Manifest.Scalar(container, "resources", "limits", resource)), $"{where}: no {resource} limit");
                }

                var security = Manifest.Node(container, "securityContext") ?? throw new Xunit.Sdk.XunitException($"{where}: no securityContext");
                Assert.Equal("true", Manifest.Scalar(security, "runAsNonRoot"));
                Assert.Equal("true", Manifest.Scalar(security, "readOnlyRootFilesystem"));
                Assert.Equal("false", Manifest.Scalar(security, "allowPrivilegeEscalation"));
                Assert.Equal("false", Manifest.Scalar(security, "privileged"));
                Assert.Equal(["ALL"], Manifest.Strings(security, "capabilities", "drop"));
                Assert.Null(Manifest.Node(security, "capabilities", "add"));
                Assert.Equal("RuntimeDefault", Manifest.Scalar(security, "seccompProfile", "type"));
                Assert.NotEqual("0", Manifest.Scalar(security, "runAsUser"));
            }

            // The injected daprd gets limits and the seccomp profile through annotations.
            var annotations = Annotations(deployment);
            foreach (var key in new[] { "dapr.io/sidecar-cpu-limit", "dapr.io/sidecar-memory-limit", "dapr.io/sidecar-cpu-request", "dapr.io/sidecar-memory-request" })
            {
                Assert.False(string.IsNullOrEmpty(annotations.GetValueOrDefault(key)), $"{mode}: {deployment} lacks {key}");
            }

            Assert.Equal("RuntimeDefault", annotations["dapr.io/sidecar-seccomp-profile-type"]);
        }
    }

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task Rbac_HasNoWildcardsAndOnlyWhatTheOperatorNeeds(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);

        foreach (var role in manifests.Where(m => m.Kind is "Role" or "ClusterRole"))
        {
            foreach (var rule in role.Seq("rules"))
            {
                foreach (var field in new[] { "apiGroups", "resources", "verbs", "resourceNames", "nonResourceURLs" })
                {
                    Assert.False(Manifest.Strings(rule, field).Any(v => v.Contains('*', StringComparison.Ordinal)), $"{mode}: {role} has a wildcard in {field}");
                }

                Assert.DoesNotContain("escalate", Manifest.Strings(rule, "verbs"));
                Assert.DoesNotContain("bind", Manifest.Strings(rule, "verbs"));
                Assert.DoesNotContain("impersonate", Manifest.Strings(rule, "verbs"));
                Assert.DoesNotContain("secrets", Manifest.Strings(rule, "resources"));
            }
        }

        // Exactly what the operator's code declares next to itself ([Rbac] attributes), in the role the scope says.
        var operatorScales = !sets.Any(v => v.StartsWith("worker.scaling.mode=", StringComparison.Ordinal) && v != "worker.scaling.mode=operator");
        var declared = typeof(HpcK8s.Operator.RbacAttribute).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes(typeof(HpcK8s.Operator.RbacAttribute), false).Cast<HpcK8s.Operator.RbacAttribute>())
            .Where(a => operatorScales || a.Group != "apps")
            .SelectMany(a => a.Verbs.Select(v => $"{(a.Scope == HpcK8s.Operator.RbacScope.Local ? "local" : "watched")} {a.Group}/{a.Resource}:{v}{(a.ResourceNames is null ? "" : " (named)")}"))
            .ToHashSet(StringComparer.Ordinal);
        var rules = OperatorRules(manifests);
        var granted = manifests.Where(m => m.Kind is "Role" or "ClusterRole" && m.Name.StartsWith(Operator, StringComparison.Ordinal))
            .SelectMany(role => role.Seq("rules").SelectMany(r =>
                from g in Manifest.Strings(r, "apiGroups")
                from res in Manifest.Strings(r, "resources")
                from v in Manifest.Strings(r, "verbs")
                select $"{(role.Name.EndsWith("-local", StringComparison.Ordinal) ? "local" : "watched")} {g}/{res}:{v}{(Manifest.Strings(r, "resourceNames").Count == 0 ? "" : " (named)")}"))
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(declared.Order(StringComparer.Ordinal), granted.Order(StringComparer.Ordinal));
        Assert.All(rules.Where(r => r.ApiGroups.Contains("apps")), r => Assert.Equal([Worker], r.ResourceNames));

        // The workers get no role, and no token to use one.
        Assert.DoesNotContain(manifests.Where(m => m.Kind is "RoleBinding" or "ClusterRoleBinding").SelectMany(b => b.Seq("subjects")),
            s => Manifest.Scalar(s, "name") == Worker);
        Assert.Equal("false", Deployment(manifests, Worker).Scalar("spec", "template", "spec", "automountServiceAccountToken"));
    }

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task DaprAnnotations_MatchTheRenderedDaprResources(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);
        var configuration = Assert.Single(manifests, m => m.Kind == "Configuration");
        var resiliency = Assert.Single(manifests, m => m.Kind == "Resiliency");
        var store = manifests.SingleOrDefault(m => m.Kind == "Component");
        var secret = manifests.SingleOrDefault(m => m.Kind == "Secret");

        var appIds = new Dictionary<string, string>();
        foreach (var (name, container) in new[] { (Operator, "operator"), (Worker, "worker") })
        {
            var deployment = Deployment(manifests, name);
            var annotations = Annotations(deployment);
            Assert.Equal("true", annotations["dapr.io/enabled"]);
            appIds[container] = annotations["dapr.io/app-id"];
            var port = deployment.Seq("spec", "template", "spec", "containers").Single().Let(c => Manifest.Seq(c, "ports").Single(p => Manifest.Scalar(p, "name") == "http"));
            Assert.Equal(Manifest.Scalar(port, "containerPort"), annotations["dapr.io/app-port"]);
            Assert.Equal(configuration.Name, annotations["dapr.io/config"]);
            // A million digits of pi put a 4.9 MB message between worker and daprd: above daprd's default 4Mi.
            Assert.Equal("64Mi", annotations["dapr.io/max-body-size"]);

            // The sidecar demands the token from the same Secret the app reads it from.
            var tokenSecret = annotations["dapr.io/api-token-secret"];
            var tokenRef = EnvNode(deployment, container, "DAPR_API_TOKEN");
            Assert.Equal(tokenSecret, Manifest.Scalar(tokenRef, "valueFrom", "secretKeyRef", "name"));
            Assert.Equal("token", Manifest.Scalar(tokenRef, "valueFrom", "secretKeyRef", "key"));
            if (secret is not null)
            {
                Assert.Equal(secret.Name, tokenSecret);
                Assert.NotNull(secret.Scalar("data", "token"));
            }
        }

        Assert.Equal(DaprProject.DefaultAppId, appIds["worker"]);
        Assert.NotEqual(appIds["worker"], appIds["operator"]);

        // The state store: created for the workers' app id, or the existing one, and the Resiliency targets it.
        var storeName = Assert.Single(resiliency.Map("spec", "targets", "components").Children.Keys).ToString();
        if (store is not null)
        {
            Assert.Equal(store.Name, storeName);
            Assert.Equal("true", Metadata(store)["actorStateStore"]);
            Assert.Contains(appIds["worker"], Manifest.Strings(store.Root, "scopes"));
        }
        else
        {
            Assert.Equal("shared-actors", storeName);
        }

        Assert.Equal([LedgerActorIds.ActorType], resiliency.Map("spec", "targets", "actors").Children.Keys.Select(k => k.ToString()));
        Assert.Equal(appIds.Values.Order(), Manifest.Strings(resiliency.Root, "scopes").Order());
        foreach (var target in new[] { resiliency.Map("spec", "targets", "actors", LedgerActorIds.ActorType), resiliency.Map("spec", "targets", "components", storeName, "outbound") })
        {
            foreach (var policy in new[] { ("timeout", "timeouts"), ("retry", "retries"), ("circuitBreaker", "circuitBreakers") })
            {
                if (Manifest.Scalar(target, policy.Item1) is { } name)
                {
                    Assert.True(resiliency.Node("spec", "policies", policy.Item2, name) is not null, $"{mode}: Resiliency references {policy.Item2}.{name}, which it does not define");
                }
            }
        }

        // The operator drives the workflows through the workers' sidecar: the Service Dapr creates for their app id.
        var endpoint = new Uri(Env(Deployment(manifests, Operator), "operator")["Dapr__Workflows__GrpcEndpoint"]);
        Assert.Equal($"{appIds["worker"]}-dapr.jobs.svc.cluster.local", endpoint.Host);
        Assert.Equal(50001, endpoint.Port);
        Assert.Equal("0.0.0.0", Annotations(Deployment(manifests, Worker))["dapr.io/sidecar-listen-addresses"]);
        Assert.Equal(Worker, Env(Deployment(manifests, Operator), "operator")["HpcK8s__Operator__Workers__Deployment"]);
    }

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task NetworkPolicies_DenyByDefaultAndAllowOnlyWhatIsNeeded(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);
        var policies = manifests.Where(m => m.Kind == "NetworkPolicy").ToList();

        var deny = Assert.Single(policies, p => p.Name.EndsWith("-default-deny", StringComparison.Ordinal));
        Assert.Equal(["Egress", "Ingress"], Manifest.Strings(deny.Root, "spec", "policyTypes").Order());
        Assert.Null(deny.Node("spec", "ingress"));
        Assert.Null(deny.Node("spec", "egress"));
        var releasePods = deny.Map("spec", "podSelector", "matchLabels");
        foreach (var deployment in manifests.Where(m => m.Kind == "Deployment"))
        {
            var labels = deployment.Map("spec", "template", "metadata", "labels");
            Assert.All(releasePods.Children, l => Assert.Equal(l.Value.ToString(), labels.Children[l.Key].ToString()));
        }

        foreach (var policy in policies.Where(p => p != deny))
        {
            Assert.All(policy.Seq("spec", "ingress"), rule => Assert.True(Manifest.Seq(rule, "from").Count > 0, $"{mode}: {policy} has an ingress rule open to every source"));
            Assert.Contains("53", EgressPorts(manifests, policy.Name));
            Assert.Contains("50001", EgressPorts(manifests, policy.Name)); // sentry, for the sidecar's mTLS certificate
        }

        Assert.Contains("443", EgressPorts(manifests, Operator));
        Assert.Contains("6443", EgressPorts(manifests, Operator));
        Assert.DoesNotContain("443", EgressPorts(manifests, Worker));

        // Only the operator may call the workers' Dapr API; workers reach each other's daprd on 50002.
        var workerIngress = Policy(manifests, Worker).Seq("spec", "ingress");
        var api = workerIngress.Single(r => Manifest.Seq(r, "ports").Any(p => Manifest.Scalar(p, "port") == "50001"));
        Assert.Equal("operator", Manifest.Scalar(Manifest.Seq(api, "from").Single(), "podSelector", "matchLabels", "app.kubernetes.io/component"));
        Assert.Contains(workerIngress, r => Manifest.Seq(r, "ports").Any(p => Manifest.Scalar(p, "port") == "50002"));
    }

    [HelmTheory]
    [MemberData(nameof(ChartFixture.Modes), MemberType = typeof(ChartFixture))]
    public async Task WorkerShutdown_FitsInTheGracePeriod(string mode, string[] sets)
    {
        var manifests = await chart.RenderAsync(sets);
        var worker = Deployment(manifests, Worker);

        var grace = int.Parse(worker.Scalar("spec", "template", "spec", "terminationGracePeriodSeconds")!, CultureInfo.InvariantCulture);
        var drain = TimeSpan.Parse(Env(worker, "worker")["HpcK8s__Worker__ShutdownTimeout"], CultureInfo.InvariantCulture);
        var annotations = Annotations(worker);
        var blocked = TimeSpan.FromSeconds(int.Parse(annotations["dapr.io/block-shutdown-duration"].TrimEnd('s'), CultureInfo.InvariantCulture));
        var daprd = TimeSpan.FromSeconds(int.Parse(annotations["dapr.io/graceful-shutdown-seconds"], CultureInfo.InvariantCulture));

        Assert.True(grace > 25, $"{mode}: terminationGracePeriodSeconds {grace} is not above the worker's 25 s shutdown");
        Assert.True(blocked > drain, $"{mode}: daprd stops blocking ({blocked}) before the worker's drain ({drain}) ends");
        Assert.True(blocked + daprd < TimeSpan.FromSeconds(grace), $"{mode}: drain and daprd shutdown ({blocked + daprd}) do not fit in {grace} s");
        Assert.Equal("/healthz", annotations["dapr.io/app-health-check-path"]);
    }

    private static Manifest Deployment(IReadOnlyList<Manifest> manifests, string name) =>
        manifests.Single(m => m.Kind == "Deployment" && m.Name == name);

    private static Manifest Policy(IReadOnlyList<Manifest> manifests, string name) =>
        manifests.Single(m => m.Kind == "NetworkPolicy" && m.Name == name);

    private static List<string> EgressPorts(IReadOnlyList<Manifest> manifests, string policy) =>
        Policy(manifests, policy).Seq("spec", "egress").SelectMany(r => Manifest.Seq(r, "ports")).Select(p => Manifest.Scalar(p, "port") ?? string.Empty).ToList();

    private static Dictionary<string, string> Annotations(Manifest deployment) =>
        deployment.Map("spec", "template", "metadata", "annotations").Children
            .ToDictionary(c => c.Key.ToString(), c => ((YamlScalarNode)c.Value).Value ?? string.Empty);

    private static Dictionary<string, string> Metadata(Manifest component) =>
        component.Seq("spec", "metadata").Where(m => Manifest.Scalar(m, "value") is not null)
            .ToDictionary(m => Manifest.Scalar(m, "name")!, m => Manifest.Scalar(m, "value")!);

    private static YamlNode EnvNode(Manifest deployment, string container, string name) =>
        deployment.Seq("spec", "template", "spec", "containers")
            .Single(c => Manifest.Scalar(c, "name") == container)
            .Let(c => Manifest.Seq(c, "env").SingleOrDefault(e => Manifest.Scalar(e, "name") == name))
        ?? throw new Xunit.Sdk.XunitException($"{deployment} container {container} has no env {name}.");

    private static Dictionary<string, string> Env(Manifest deployment, string container) =>
        Manifest.Seq(deployment.Seq("spec", "template", "spec", "containers").Single(c => Manifest.Scalar(c, "name") == container), "env")
            .Where(e => Manifest.Scalar(e, "value") is not null)
            .ToDictionary(e => Manifest.Scalar(e, "name")!, e => Manifest.Scalar(e, "value")!);

    private static List<RbacRule> OperatorRules(IReadOnlyList<Manifest> manifests) =>
        manifests.Where(m => m.Kind is "Role" or "ClusterRole" && m.Name.StartsWith(Operator, StringComparison.Ordinal))
            .SelectMany(r => r.Seq("rules"))
            .Select(r => new RbacRule(Manifest.Strings(r, "apiGroups"), Manifest.Strings(r, "resources"), Manifest.Strings(r, "verbs"), Manifest.Strings(r, "resourceNames")))
            .ToList();

    private sealed record RbacRule(IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames);
}

internal static class FunctionalExtensions
{
    public static TResult Let<T, TResult>(this T value, Func<T, TResult> map) => map(value);
}
