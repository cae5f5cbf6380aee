using k8s;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace HpcK8s.Operator.Hosting;

/// <summary>Readiness: the Kubernetes API server answers <c>/version</c> within two seconds.</summary>
internal sealed class KubernetesApiHealthCheck(IKubernetes client) : IHealthCheck
{
    /// <summary>The check's name in health reports.</summary>
    public const string Name = "kubernetes-api";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            var version = await client.Version.GetCodeAsync(timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The API server at {client.BaseUri} answers (Kubernetes {version.GitVersion}).");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The API server at {client.BaseUri} did not answer within {Timeout.TotalSeconds:0} s.");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return HealthCheckResult.Unhealthy($"The API server at {client.BaseUri} did not answer: {e.Message}");
        }
    }
}
