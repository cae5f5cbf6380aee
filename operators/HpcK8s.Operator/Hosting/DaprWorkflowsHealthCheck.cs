using Grpc.Core;
using HpcK8s.Dapr.Workflows;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace HpcK8s.Operator.Hosting;

/// <summary>Readiness: the workers' Dapr sidecar answers a workflow state query within two seconds (an instance that does not
/// exist is a fine answer).</summary>
internal sealed class DaprWorkflowsHealthCheck(DaprWorkflowClient client, IOptions<DaprWorkflowOptions> options) : IHealthCheck
{
    /// <summary>The check's name in health reports.</summary>
    public const string Name = "dapr-workflows";

    private const string ProbeInstance = "hpck8s-operator-readiness-probe";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = Describe();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await client.GetWorkflowStateAsync(ProbeInstance, timeout.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The Dapr sidecar at {endpoint} answers workflow queries.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The Dapr sidecar at {endpoint} did not answer within {Timeout.TotalSeconds:0} s (Dapr:Workflows:GrpcEndpoint).");
        }
        catch (RpcException e) when (e.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Cancelled && !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"The Dapr sidecar at {endpoint} did not answer within {Timeout.TotalSeconds:0} s (Dapr:Workflows:GrpcEndpoint).");
        }
        catch (RpcException e)
        {
            return HealthCheckResult.Unhealthy($"The Dapr sidecar at {endpoint} did not answer: {e.StatusCode}: {e.Status.Detail} (Dapr:Workflows:GrpcEndpoint).");
        }
    }

    private string Describe()
    {
        try
        {
            return DaprSidecarEndpoint.Resolve(options.Value.GrpcEndpoint).ToString();
        }
        catch (ArgumentException)
        {
            return options.Value.GrpcEndpoint ?? "(unset)";
        }
    }
}
