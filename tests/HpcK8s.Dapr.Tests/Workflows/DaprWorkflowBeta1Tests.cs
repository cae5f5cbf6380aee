using Google.Protobuf.WellKnownTypes;
using HpcK8s.Dapr.Workflows;
using HpcK8s.Workflows.History;
using B = Dapr.Client.Autogen.Grpc.v1;

namespace HpcK8s.Dapr.Tests.Workflows;

public sealed class DaprWorkflowBeta1Tests
{
    [Theory]
    [InlineData("RUNNING", OrchestrationStatus.Running)]
    [InlineData("COMPLETED", OrchestrationStatus.Completed)]
    [InlineData("CONTINUED_AS_NEW", OrchestrationStatus.ContinuedAsNew)]
    [InlineData("FAILED", OrchestrationStatus.Failed)]
    [InlineData("CANCELED", OrchestrationStatus.Canceled)]
    [InlineData("TERMINATED", OrchestrationStatus.Terminated)]
    [InlineData("PENDING", OrchestrationStatus.Pending)]
    [InlineData("SUSPENDED", OrchestrationStatus.Suspended)]
    [InlineData("UNKNOWN", OrchestrationStatus.Stalled)] // daprd has no name for STALLED
    [InlineData("STALLED", OrchestrationStatus.Stalled)]
    [InlineData("ORCHESTRATION_STATUS_RUNNING", OrchestrationStatus.Running)]
    [InlineData("suspended", OrchestrationStatus.Suspended)]
    public void ParseStatus_DaprdStatusStrings(string status, OrchestrationStatus expected) =>
        Assert.Equal(expected, DaprWorkflowBeta1.ParseStatus(status, "i"));

    [Fact]
    public void ParseStatus_UnknownString_NamesTheInstanceAndTheValue()
    {
        var error = Assert.Throws<InvalidOperationException>(() => DaprWorkflowBeta1.ParseStatus("SLEEPING", "job-1"));

        Assert.Contains("'SLEEPING'", error.Message);
        Assert.Contains("'job-1'", error.Message);
    }

    [Fact]
    public void ToState_EmptyStatus_IsMissing() =>
        Assert.Null(DaprWorkflowBeta1.ToState(new B.GetWorkflowResponse { InstanceId = "gone" }));

    [Fact]
    public void ToState_EmptyAndNullPayloads_ReadAsNull()
    {
        var response = new B.GetWorkflowResponse
        {
            InstanceId = "i",
            WorkflowName = "W",
            RuntimeStatus = "COMPLETED",
            CreatedAt = Timestamp.FromDateTime(new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            LastUpdatedAt = Timestamp.FromDateTime(new DateTime(2030, 1, 1, 0, 0, 5, DateTimeKind.Utc)),
        };
        response.Properties["dapr.workflow.input"] = "";
        response.Properties["dapr.workflow.output"] = "null";
        response.Properties["dapr.workflow.custom_status"] = "";

        var state = DaprWorkflowBeta1.ToState(response);

        Assert.Equal(
            new DaprWorkflowState("i", "W", OrchestrationStatus.Completed, new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                new DateTime(2030, 1, 1, 0, 0, 5, DateTimeKind.Utc), null, null, null, null),
            state);
    }

    [Fact]
    public void ToStartRequest_SetsComponentRawJsonAndStartTime()
    {
        var request = DaprWorkflowBeta1.ToStartRequest("W", "i", """{"a":1}""", new DateTime(2030, 1, 2, 3, 4, 5, DateTimeKind.Unspecified));

        Assert.Equal("dapr", request.WorkflowComponent);
        Assert.Equal("""{"a":1}""", request.Input.ToStringUtf8());
        Assert.Equal("2030-01-02T03:04:05.0000000Z", request.Options["dapr.workflow.start_time"]);
    }

    [Fact]
    public void ToStartRequest_NoInputNoStart_LeavesThemUnset()
    {
        var request = DaprWorkflowBeta1.ToStartRequest("W", "i", null, null);

        Assert.True(request.Input.IsEmpty);
        Assert.Empty(request.Options);
    }
}
