using HpcK8s.Dapr.Workflows;
using Microsoft.Extensions.Hosting;

namespace HpcK8s.Worker;

/// <summary>
/// Drains the <see cref="DaprWorkflowWorker"/> in the host's <em>stopping</em> phase, before any hosted service's
/// <c>StopAsync</c> runs, so that Kestrel keeps serving while shards finish.
/// </summary>
/// <remarks>
/// <para>WebApplication registers its server after the app's hosted services so that it starts last, and so it stops
/// first: left to its own <c>StopAsync</c>, the worker would drain behind a closed port. During the drain daprd still
/// calls this app (ledger actors placed here, <c>/readyz</c>, which now says the worker is shutting down).</para>
/// <para>The host raises <see cref="IHostApplicationLifetime.ApplicationStopping"/> only after this phase, so the drain
/// raises it first (idempotent): readiness and the logs see the shutdown while the shards finish, not after.</para>
/// <para>The stopping token fires at <see cref="HostOptions.ShutdownTimeout"/>; then the worker cancels the shards still
/// running (abandoned: the sidecar dispatches them again). The worker's own <c>StopAsync</c>, called later, finds it
/// already stopped.</para>
/// </remarks>
internal sealed class WorkflowWorkerDrain(DaprWorkflowWorker worker, IHostApplicationLifetime lifetime) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        lifetime.StopApplication();
        return worker.StopAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
