using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Collections;
using HpcK8s.Workflows.History;
using B = Dapr.Client.Autogen.Grpc.v1;

namespace HpcK8s.Dapr.Workflows;

/// <summary>
/// Builds requests for, and reads responses of, the Dapr API's workflow calls
/// (<c>dapr.proto.runtime.v1.Dapr/*WorkflowBeta1</c>), the fallback for sidecars without <c>TaskHubSidecarService</c>.
/// </summary>
/// <remarks>
/// Facts from daprd's <c>pkg/api/universal/workflow.go</c> (docs/dapr-workflow-protocol.md, section 5): inputs and event
/// data are raw UTF-8 JSON; the status is a string (<c>RUNNING</c> … <c>SUSPENDED</c>, and <c>UNKNOWN</c> for any other
/// value, which today means STALLED); a missing instance comes back with an empty status and no error; the failure is
/// only its type, message and stack trace.
/// </remarks>
internal static class DaprWorkflowBeta1
{
    /// <summary>The workflow component name; required up to daprd 1.14, ignored since.</summary>
    public const string Component = "dapr";

    /// <summary>The start option that schedules the first turn (an RFC 3339 time).</summary>
    public const string StartTimeOption = "dapr.workflow.start_time";

    /// <summary>The property holding the input JSON.</summary>
    public const string InputProperty = "dapr.workflow.input";

    /// <summary>The property holding the output JSON (absent for failed instances).</summary>
    public const string OutputProperty = "dapr.workflow.output";

    /// <summary>The property holding the custom status JSON.</summary>
    public const string CustomStatusProperty = "dapr.workflow.custom_status";

    /// <summary>The property holding the failure's error type.</summary>
    public const string FailureTypeProperty = "dapr.workflow.failure.error_type";

    /// <summary>The property holding the failure's message.</summary>
    public const string FailureMessageProperty = "dapr.workflow.failure.error_message";

    /// <summary>The property holding the failure's stack trace (daprd 1.15 and later).</summary>
    public const string FailureStackTraceProperty = "dapr.workflow.failure.stack_trace";

    /// <summary>The status string daprd writes for a status it has no name for (STALLED).</summary>
    public const string UnknownStatus = "UNKNOWN";

    /// <summary>Builds a start request.</summary>
    /// <param name="name">The workflow name.</param>
    /// <param name="instanceId">The instance id.</param>
    /// <param name="inputJson">The input JSON, or null for none.</param>
    /// <param name="startAt">When to start, or null for now.</param>
    public static B.StartWorkflowRequest ToStartRequest(string name, string instanceId, string? inputJson, DateTime? startAt)
    {
        var request = new B.StartWorkflowRequest { InstanceId = instanceId, WorkflowName = name, WorkflowComponent = Component };
        if (inputJson is not null)
        {
            request.Input = ByteString.CopyFromUtf8(inputJson);
        }

        if (startAt is { } at)
        {
            request.Options[StartTimeOption] = FormatStartTime(at);
        }

        return request;
    }

    /// <summary>Formats a start time as RFC 3339 in UTC (Go's parser accepts the 7 fractional digits).</summary>
    /// <param name="at">The time; an unspecified kind is read as UTC, as <see cref="WorkflowProtoTranslator.ToTimestamp"/> does.</param>
    public static string FormatStartTime(DateTime at)
    {
        var utc = at.Kind switch
        {
            DateTimeKind.Utc => at,
            DateTimeKind.Local => at.ToUniversalTime(),
            _ => DateTime.SpecifyKind(at, DateTimeKind.Utc),
        };
        return utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>Encodes a JSON payload as the raw UTF-8 bytes Beta1 expects; null stays unset.</summary>
    /// <param name="json">The JSON, or null.</param>
    public static ByteString ToBytes(string? json) => json is null ? ByteString.Empty : ByteString.CopyFromUtf8(json);

    /// <summary>Reads a Get response into the state the TaskHub path returns.</summary>
    /// <param name="response">The response.</param>
    /// <returns>The state, or null when the sidecar reported no such instance (an empty status).</returns>
    /// <exception cref="InvalidOperationException">The status string is not one daprd writes.</exception>
    public static DaprWorkflowState? ToState(B.GetWorkflowResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (string.IsNullOrEmpty(response.RuntimeStatus))
        {
            return null;
        }

        var properties = response.Properties;
        return new DaprWorkflowState(
            response.InstanceId,
            response.WorkflowName,
            ParseStatus(response.RuntimeStatus, response.InstanceId),
            WorkflowProtoTranslator.ToDateTime(response.CreatedAt),
            WorkflowProtoTranslator.ToDateTime(response.LastUpdatedAt),
            WorkflowProtoTranslator.Payload(Get(properties, InputProperty)),
            WorkflowProtoTranslator.Payload(Get(properties, OutputProperty)),
            WorkflowProtoTranslator.Payload(Get(properties, CustomStatusProperty)),
            ToFailure(properties));
    }

    /// <summary>Reads a status string; <c>UNKNOWN</c> is daprd's name for STALLED.</summary>
    /// <param name="status">The status string, e.g. <c>RUNNING</c>; the durabletask-go prefix <c>ORCHESTRATION_STATUS_</c> is accepted.</param>
    /// <param name="instanceId">The instance, named in the error.</param>
    /// <exception cref="InvalidOperationException">The status string is not one daprd writes.</exception>
    public static OrchestrationStatus ParseStatus(string status, string instanceId)
    {
        ArgumentNullException.ThrowIfNull(status);
        const string Prefix = "ORCHESTRATION_STATUS_";
        var name = status.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? status[Prefix.Length..] : status;
        return name.ToUpperInvariant() switch
        {
            "RUNNING" => OrchestrationStatus.Running,
            "COMPLETED" => OrchestrationStatus.Completed,
            "CONTINUED_AS_NEW" => OrchestrationStatus.ContinuedAsNew,
            "FAILED" => OrchestrationStatus.Failed,
            "CANCELED" => OrchestrationStatus.Canceled,
            "TERMINATED" => OrchestrationStatus.Terminated,
            "PENDING" => OrchestrationStatus.Pending,
            "SUSPENDED" => OrchestrationStatus.Suspended,
            "STALLED" or UnknownStatus => OrchestrationStatus.Stalled,
            _ => throw new InvalidOperationException(
                $"The Dapr sidecar reported the workflow status '{status}' for instance '{instanceId}', which is not one of daprd's status strings (RUNNING, COMPLETED, CONTINUED_AS_NEW, FAILED, CANCELED, TERMINATED, PENDING, SUSPENDED, UNKNOWN)."),
        };
    }

    private static FailureDetails? ToFailure(MapField<string, string> properties)
    {
        var type = Get(properties, FailureTypeProperty);
        var message = Get(properties, FailureMessageProperty);
        if (type is null && message is null)
        {
            return null;
        }

        var stackTrace = Get(properties, FailureStackTraceProperty);
        return new FailureDetails(type ?? string.Empty, message ?? string.Empty, string.IsNullOrEmpty(stackTrace) ? null : stackTrace);
    }

    private static string? Get(MapField<string, string> properties, string key) =>
        properties.TryGetValue(key, out var value) ? value : null;
}
