using HpcK8s.Kubernetes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;

namespace HpcK8s.Operator.Reconciliation;

/// <summary>Writes Kubernetes Events about a ComputeJob (<c>kubectl describe cj</c> and <c>kubectl get events</c> show them).</summary>
/// <remarks>Best effort, like client-go's recorder: an event that cannot be written is logged and dropped, never fails a
/// reconcile. Events are named <c>{job}.{unique}</c> in the job's namespace.</remarks>
internal sealed partial class EventRecorder(IKubernetes client, TimeProvider time, ILogger<EventRecorder> logger, string component = "hpck8s-operator")
{
    /// <summary>Event type for normal transitions.</summary>
    public const string Normal = "Normal";

    /// <summary>Event type for problems.</summary>
    public const string Warning = "Warning";

    /// <summary>Records an event about <paramref name="job"/>.</summary>
    public async Task RecordAsync(V1Alpha1ComputeJob job, string type, string reason, string message, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ns = job.Metadata.NamespaceProperty ?? "default";
        var body = new Corev1Event
        {
            Metadata = new V1ObjectMeta { Name = $"{job.Metadata.Name}.{now.Ticks:x}{Random.Shared.Next():x}", NamespaceProperty = ns },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = ComputeJobResource.ApiVersion,
                Kind = ComputeJobResource.Kind,
                Name = job.Metadata.Name,
                NamespaceProperty = ns,
                Uid = job.Metadata.Uid,
                ResourceVersion = job.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message.Length <= 1024 ? message : message[..1021] + "...",
            Source = new V1EventSource { Component = component },
            ReportingComponent = "hpck8s.io/operator",
            ReportingInstance = component,
            Action = reason,
            FirstTimestamp = now,
            LastTimestamp = now,
            Count = 1,
        };
        try
        {
            await client.CoreV1.CreateNamespacedEventAsync(body, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            EventDropped(logger, reason, ns, job.Metadata.Name, e.Message);
        }
    }

    [LoggerMessage(2101, LogLevel.Warning, "Could not record event {Reason} for ComputeJob {Namespace}/{Name}: {Error}")]
    private static partial void EventDropped(ILogger logger, string reason, string @namespace, string name, string error);
}
